variable "name" {
  description = "Prefix for role names, e.g. bland-mcp-production."
  type        = string
}

variable "environment" {
  description = "Environment name; also the GitHub deployment environment the deploy role trusts."
  type        = string
}

variable "github_repository" {
  description = "GitHub repository allowed to assume the roles, as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name (no wildcards)."
  }
}

variable "existing_oidc_provider_arn" {
  description = "ARN of an existing token.actions.githubusercontent.com provider in this account (one per account). Empty creates it."
  type        = string
  default     = ""
}

variable "state_bucket_name" {
  description = "S3 bucket holding Terraform state."
  type        = string
}

variable "state_key_prefix" {
  description = "Key prefix of this environment's state objects in the state bucket (e.g. bland-mcp/production/)."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 zone whose records the deploy role may change."
  type        = string
}
