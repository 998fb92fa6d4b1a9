################################################################################
# Release: set by the deploy pipeline on every plan/apply (scripts/deploy reads the
# current values back from `terraform output` and the deploy state parameter)
################################################################################

variable "active_color" {
  description = "Colour that receives live traffic: blue or green."
  type        = string

  validation {
    condition     = contains(["blue", "green"], var.active_color)
    error_message = "active_color must be \"blue\" or \"green\"."
  }
}

variable "blue_ami_id" {
  description = "AMI of the blue colour (from packer/manifest.json)."
  type        = string

  validation {
    condition     = can(regex("^ami-[0-9a-f]{8,17}$", var.blue_ami_id))
    error_message = "blue_ami_id must be an AMI id (ami-...)."
  }
}

variable "green_ami_id" {
  description = "AMI of the green colour (from packer/manifest.json)."
  type        = string

  validation {
    condition     = can(regex("^ami-[0-9a-f]{8,17}$", var.green_ami_id))
    error_message = "green_ami_id must be an AMI id (ami-...)."
  }
}

variable "canary_weight" {
  description = "Percent of live traffic sent to the INACTIVE colour (0 = none, 100 = all)."
  type        = number
  default     = 0

  validation {
    condition     = var.canary_weight >= 0 && var.canary_weight <= 100 && floor(var.canary_weight) == var.canary_weight
    error_message = "canary_weight must be a whole number between 0 and 100."
  }
}

variable "app_version" {
  description = "Version of the release (package.json version)."
  type        = string
}

variable "git_sha" {
  description = "Commit of the release."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{7,40}$", var.git_sha))
    error_message = "git_sha must be a hexadecimal commit id."
  }
}

variable "lambda_zip_path" {
  description = "Poller bundle built by `npm run package:lambda`, relative to this directory."
  type        = string
  default     = "../../../dist/lambda/poller.zip"
}

################################################################################
# Environment: from GitHub environment variables/secrets as TF_VAR_* (not in git)
################################################################################

variable "region" {
  description = "Primary AWS region."
  type        = string
  default     = "us-east-1"
}

variable "domain_name" {
  description = "Public hostname of the service, e.g. mcp.example.com."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 public hosted zone that contains domain_name."
  type        = string
}

variable "alarm_email" {
  description = "Address receiving alarms and budget notifications."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address."
  }
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows deploy this environment."
  type        = string
}

variable "existing_oidc_provider_arn" {
  description = "GitHub OIDC provider already in the account (one per account); empty creates it."
  type        = string
  default     = ""
}

variable "state_bucket_name" {
  description = "The Terraform state bucket (same as the backend's)."
  type        = string
}

variable "origin_verify_secret" {
  description = "Secret header value CloudFront adds and the ALB requires (at least 32 characters)."
  type        = string
  sensitive   = true
}

variable "preview_token" {
  description = "Token for reaching one colour directly during deploys (at least 32 characters)."
  type        = string
  sensitive   = true
}

################################################################################
# Size and policy: terraform.tfvars of each environment
################################################################################

variable "vpc_cidr" {
  description = "IPv4 range of the VPC."
  type        = string
  default     = "10.20.0.0/16"
}

variable "instance_type" {
  description = "Application instance type (arm64)."
  type        = string
  default     = "t4g.micro"
}

variable "min_size" {
  description = "Instances per colour kept running (both colours stay warm for instant rollback)."
  type        = number
  default     = 1
}

variable "max_size" {
  description = "Maximum instances per colour."
  type        = number
  default     = 3
}

variable "monthly_budget_usd" {
  description = "Monthly AWS cost budget."
  type        = number
  default     = 90
}

variable "waf_rate_limit_per_minute" {
  description = "Per-client-IP requests per 60 s before the edge answers 429."
  type        = number
  default     = 100
}

variable "enable_shield_advanced" {
  description = "Protect the distribution with Shield Advanced (needs a subscription)."
  type        = bool
  default     = false
}

variable "alb_deletion_protection" {
  description = "Deletion protection on the ALB."
  type        = bool
  default     = true
}

variable "app_parameters" {
  description = "Extra non-secret app settings stored under /bland-mcp/<env>/app/."
  type        = map(string)
  default     = {}
}

variable "recordings_retention_days" {
  description = "Days to keep call recordings (null = forever)."
  type        = number
  default     = 365
}

variable "supabase_url" {
  description = "Supabase project URL the web console signs in with, as the app's SUPABASE_URL (TF_VAR_supabase_url); empty for API-key sign-in only."
  type        = string
  default     = ""
}
