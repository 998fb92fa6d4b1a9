variable "name" {
  description = "Prefix for resource names, e.g. bland-mcp-production."
  type        = string
}

variable "environment" {
  description = "Environment name; selects the settings path /bland-mcp/<env>/app."
  type        = string
}

variable "lambda_zip_path" {
  description = "Path of the bundle built by `npm run package:lambda` (handler poller.handler)."
  type        = string
}

variable "parameter_path" {
  description = "SSM path the handler loads its settings and secrets from at cold start."
  type        = string
}

variable "schedule_expression" {
  description = "How often the poller runs."
  type        = string
  default     = "rate(5 minutes)"
}

variable "timeout_seconds" {
  description = "Function timeout; below the 5-minute interval so two runs never overlap."
  type        = number
  default     = 240

  validation {
    condition     = var.timeout_seconds >= 30 && var.timeout_seconds < 300
    error_message = "timeout_seconds must be between 30 and 299 (below the schedule interval)."
  }
}

variable "memory_mb" {
  description = "Function memory (CPU scales with it)."
  type        = number
  default     = 512
}

variable "log_retention_days" {
  description = "Retention of the function's log group."
  type        = number
  default     = 30
}

variable "release" {
  description = "Version and commit of the bundle, exposed to the handler (the zip is built from the same commit as the AMI)."
  type        = object({ app_version = string, git_sha = string })
}
