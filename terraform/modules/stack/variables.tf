################################################################################
# Release: what runs where (set by the deploy pipeline on every apply)
################################################################################

variable "environment" {
  description = "Environment name: production or staging."
  type        = string

  validation {
    condition     = contains(["production", "staging"], var.environment)
    error_message = "environment must be production or staging."
  }
}

variable "active_color" {
  description = "Colour that receives live traffic."
  type        = string

  validation {
    condition     = contains(["blue", "green"], var.active_color)
    error_message = "active_color must be \"blue\" or \"green\"."
  }
}

variable "blue_ami_id" {
  description = "AMI of the blue colour."
  type        = string
}

variable "green_ami_id" {
  description = "AMI of the green colour."
  type        = string
}

variable "canary_weight" {
  description = "Percent of traffic sent to the inactive colour."
  type        = number
}

variable "app_version" {
  description = "Version of the release being deployed (package.json version)."
  type        = string
}

variable "git_sha" {
  description = "Commit of the release being deployed."
  type        = string
}

variable "lambda_zip_path" {
  description = "Poller bundle built by `npm run package:lambda`."
  type        = string
}

################################################################################
# Environment settings
################################################################################

variable "domain_name" {
  description = "Public hostname of the service."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 public hosted zone of domain_name."
  type        = string
}

variable "alarm_email" {
  description = "Address receiving alarms and budget notifications."
  type        = string
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows may assume the CI roles."
  type        = string
}

variable "existing_oidc_provider_arn" {
  description = "Existing GitHub OIDC provider in the account; empty creates one."
  type        = string
}

variable "state_bucket_name" {
  description = "Terraform state bucket (the CI roles get access to this environment's keys)."
  type        = string
}

variable "origin_verify_secret" {
  description = "Secret header value CloudFront sends and the ALB requires."
  type        = string
  sensitive   = true
}

variable "preview_token" {
  description = "Token that lets the deploy pipeline reach one colour directly."
  type        = string
  sensitive   = true
}

variable "vpc_cidr" {
  description = "IPv4 range of the VPC."
  type        = string
}

variable "instance_type" {
  description = "Application instance type (arm64)."
  type        = string
}

variable "min_size" {
  description = "Instances per colour kept running."
  type        = number
}

variable "max_size" {
  description = "Maximum instances per colour."
  type        = number
}

variable "monthly_budget_usd" {
  description = "Monthly AWS cost budget."
  type        = number
}

variable "waf_rate_limit_per_minute" {
  description = "Per-IP request limit per 60 s at the edge."
  type        = number
}

variable "enable_shield_advanced" {
  description = "Protect the distribution with Shield Advanced."
  type        = bool
}

variable "alb_deletion_protection" {
  description = "Deletion protection on the ALB."
  type        = bool
}

variable "app_parameters" {
  description = "Extra non-secret app settings under /bland-mcp/<env>/app/."
  type        = map(string)
}

variable "recordings_retention_days" {
  description = "Days to keep call recordings (null = forever)."
  type        = number
}

variable "supabase_url" {
  description = "Supabase project URL the web console signs in with (allowed in the console's CSP at the edge); empty for API-key sign-in only."
  type        = string
  default     = ""
}
