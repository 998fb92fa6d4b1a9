variable "name" {
  description = "Prefix for resource names, e.g. bland-mcp-production."
  type        = string
}

variable "environment" {
  description = "Environment name (dimension of the app's own metrics)."
  type        = string
}

variable "alarm_email" {
  description = "Address that receives alarm and budget notifications."
  type        = string
}

variable "domain_name" {
  description = "Public hostname; Route 53 health-checks https://<domain_name><health_check_path>."
  type        = string
}

variable "health_check_path" {
  description = "Readiness path probed through CloudFront."
  type        = string
  default     = "/health/ready"
}

variable "alb_arn_suffix" {
  description = "ALB ARN suffix (LoadBalancer dimension)."
  type        = string
}

variable "target_group_arn_suffixes" {
  description = "Target group ARN suffix per colour."
  type        = map(string)
}

variable "distribution_id" {
  description = "CloudFront distribution id."
  type        = string
}

variable "poller_function_name" {
  description = "Name of the poller Lambda function."
  type        = string
}

variable "poller_failure_queue_name" {
  description = "Name of the poller's failure queue."
  type        = string
}

variable "app_metrics_namespace" {
  description = "Namespace of the metrics the app publishes (PollerLastSuccessAgeSeconds, SheetsBacklogAgeSeconds) with dimension Environment."
  type        = string
  default     = "BlandMcp/App"
}

variable "target_response_time_p95_seconds" {
  description = "p95 target response time that raises an alarm."
  type        = number
  default     = 2
}

variable "cloudfront_5xx_rate_percent" {
  description = "CloudFront 5xx error rate (percent of requests) that raises an alarm."
  type        = number
  default     = 5
}

variable "monthly_budget_usd" {
  description = "Monthly cost budget; notifications at 80% and 100% actual, and 100% forecast."
  type        = number
  default     = 60
}
