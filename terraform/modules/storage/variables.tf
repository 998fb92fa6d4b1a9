variable "name" {
  description = "Prefix for bucket names, e.g. bland-mcp-production. Bucket names also carry the account id to stay globally unique."
  type        = string
}

variable "app_origin" {
  description = "Public https origin of the service (e.g. https://mcp.example.com); the only origin allowed to fetch recordings from a browser."
  type        = string
}

variable "cloudfront_distribution_arn" {
  description = "ARN of the CloudFront distribution allowed to read the console assets (origin access control)."
  type        = string
}

variable "recordings_retention_days" {
  description = "Days after which call recordings are deleted. Null keeps them forever."
  type        = number
  default     = 365
}
