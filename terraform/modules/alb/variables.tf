variable "name" {
  description = "Prefix for resource names, e.g. bland-mcp-production (at most 26 characters: target group names are limited to 32)."
  type        = string

  validation {
    condition     = length(var.name) <= 26
    error_message = "name must be at most 26 characters so that \"<name>-green\" fits the 32-character target group limit."
  }
}

variable "vpc_id" {
  description = "VPC of the load balancer and target groups."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets (two AZs) for the load balancer."
  type        = list(string)
}

variable "origin_domain_name" {
  description = "Hostname CloudFront uses to reach the ALB (e.g. origin.mcp.example.com); the ALB certificate is issued for it."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 public hosted zone for origin_domain_name and its certificate validation records."
  type        = string
}

variable "access_logs_bucket" {
  description = "Name of the S3 bucket receiving ALB access logs (prefix alb/)."
  type        = string
}

variable "app_port" {
  description = "Port the application listens on inside the instances."
  type        = number
  default     = 3000
}

variable "health_check_path" {
  description = "Readiness endpoint used by the target group health checks."
  type        = string
  default     = "/health/ready"
}

variable "idle_timeout" {
  description = "ALB idle timeout in seconds. The app's keepAliveTimeout must be larger (see docs/infrastructure.md)."
  type        = number
  default     = 120
}

variable "deletion_protection" {
  description = "Protect the ALB against deletion (disable only to tear an environment down)."
  type        = bool
  default     = true
}

variable "active_color" {
  description = "Colour that receives live traffic."
  type        = string

  validation {
    condition     = contains(["blue", "green"], var.active_color)
    error_message = "active_color must be \"blue\" or \"green\"."
  }
}

variable "canary_weight" {
  description = "Percent of live traffic sent to the inactive colour (0 = none)."
  type        = number
  default     = 0

  validation {
    condition     = var.canary_weight >= 0 && var.canary_weight <= 100 && floor(var.canary_weight) == var.canary_weight
    error_message = "canary_weight must be a whole number between 0 and 100."
  }
}

variable "origin_verify_secret" {
  description = "Value of the X-Origin-Verify header CloudFront adds; requests without it get 403 from the ALB."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.origin_verify_secret) >= 32
    error_message = "origin_verify_secret must be at least 32 characters."
  }
}

variable "preview_token" {
  description = "Value of the X-Bland-Mcp-Preview-Token header that lets the deploy pipeline reach one colour directly (smoke tests before traffic)."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.preview_token) >= 32
    error_message = "preview_token must be at least 32 characters."
  }
}
