variable "bucket_name" {
  description = "Globally unique bucket name."
  type        = string
}

variable "sse_algorithm" {
  description = "Default encryption. AES256 (SSE-S3) is required for buckets that receive ALB access logs; aws:kms otherwise."
  type        = string
  default     = "aws:kms"

  validation {
    condition     = contains(["AES256", "aws:kms"], var.sse_algorithm)
    error_message = "sse_algorithm must be AES256 or aws:kms."
  }
}

variable "extra_policy_statements" {
  description = "Additional bucket policy statements (JSON array of statement objects, e.g. from aws_iam_policy_document.x.json's Statement). The TLS-only deny is always added."
  type        = string
  default     = "[]"
}

variable "lifecycle_rules" {
  description = <<-EOT
    Lifecycle rules. Every rule also aborts incomplete multipart uploads after 7 days
    and expires noncurrent versions after noncurrent_version_expiration_days.
  EOT
  type = list(object({
    id                                 = string
    prefix                             = optional(string, "")
    expiration_days                    = optional(number)
    noncurrent_version_expiration_days = optional(number, 30)
    transitions = optional(list(object({
      days          = number
      storage_class = string
    })), [])
  }))
  default = [{ id = "default" }]

  validation {
    condition     = length(var.lifecycle_rules) > 0
    error_message = "At least one lifecycle rule is required (multipart uploads must always be cleaned up)."
  }
}

variable "cors_allowed_origins" {
  description = "Origins allowed to GET objects from a browser (e.g. presigned recording URLs). Empty = no CORS configuration."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for origin in var.cors_allowed_origins : can(regex("^https://[a-z0-9.-]+$", origin))])
    error_message = "CORS origins must be explicit https:// origins; wildcards are not allowed."
  }
}
