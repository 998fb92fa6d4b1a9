variable "name" {
  description = "Topic name."
  type        = string
}

variable "email" {
  description = "Address subscribed to the topic (the subscription must be confirmed from the mail AWS sends)."
  type        = string
}
