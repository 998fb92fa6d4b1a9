variable "name" {
  description = "Prefix for resource names, e.g. bland-mcp-production."
  type        = string
}

variable "environment" {
  description = "Environment name (production, staging); part of every SSM path and log group."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the instances."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (two AZs) the instances run in."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the ALB: the only source allowed to reach the app port."
  type        = string
}

variable "target_group_arns" {
  description = "Target group ARN per colour (from the alb module)."
  type        = map(string)

  validation {
    condition     = toset(keys(var.target_group_arns)) == toset(["blue", "green"])
    error_message = "target_group_arns must have exactly the keys blue and green."
  }
}

variable "ami_ids" {
  description = "AMI per colour, built by Packer."
  type        = map(string)

  validation {
    condition     = toset(keys(var.ami_ids)) == toset(["blue", "green"]) && alltrue([for id in values(var.ami_ids) : can(regex("^ami-[0-9a-f]{8,17}$", id))])
    error_message = "ami_ids must map blue and green to AMI ids (ami-...)."
  }
}

variable "instance_type" {
  description = "Instance type (Graviton/arm64: the AMI is built for arm64)."
  type        = string
  default     = "t4g.micro"
}

variable "min_size" {
  description = "Minimum instances per colour. Both colours keep this many warm, so a rollback is only a weight change."
  type        = number
  default     = 1
}

variable "max_size" {
  description = "Maximum instances per colour (target tracking scales between min and max)."
  type        = number
  default     = 3
}

variable "cpu_target_percent" {
  description = "Average CPU utilisation target of the scaling policy."
  type        = number
  default     = 60
}

variable "app_port" {
  description = "Port the application listens on."
  type        = number
  default     = 3000
}

variable "database_ports" {
  description = "Outbound TCP ports to the database (Supabase: 5432 direct/session pooler, 6543 transaction pooler)."
  type        = list(number)
  default     = [5432, 6543]
}

variable "public_url" {
  description = "Public base URL of the service (PUBLIC_URL for the app)."
  type        = string
}

variable "recordings_bucket" {
  description = "Recordings bucket (id and arn); instances may read and write under recordings/."
  type        = object({ id = string, arn = string })
}

variable "app_parameters" {
  description = "Extra non-secret settings stored under /bland-mcp/<env>/app/ (overriding the defaults). Secrets are created out of band as SecureString parameters under the same path."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for key in keys(var.app_parameters) : can(regex("^[A-Z][A-Z0-9_]*$", key))])
    error_message = "app_parameters keys must be environment variable names (A-Z, 0-9, _)."
  }
}

variable "log_retention_days" {
  description = "Retention of the application log group."
  type        = number
  default     = 30
}

variable "metric_namespaces" {
  description = "CloudWatch namespaces the instances may publish to: the app's own metrics and the CloudWatch agent's host metrics."
  type        = list(string)
  default     = ["BlandMcp/App", "BlandMcp/Host"]
}
