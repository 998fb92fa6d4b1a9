variable "name" {
  description = "Prefix for resource names, e.g. bland-mcp-production."
  type        = string
}

variable "domain_name" {
  description = "Public hostname of the service (e.g. mcp.example.com)."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 public hosted zone of domain_name."
  type        = string
}

variable "origin_domain_name" {
  description = "Hostname of the ALB origin (covered by the ALB's certificate)."
  type        = string
}

variable "origin_verify_header" {
  description = "Header name the ALB checks for the origin secret."
  type        = string
}

variable "origin_verify_secret" {
  description = "Secret value CloudFront sends in origin_verify_header."
  type        = string
  sensitive   = true
}

variable "preview_token_header" {
  description = "Header carrying the deploy preview token; redacted from WAF logs."
  type        = string
}

variable "static_bucket_regional_domain_name" {
  description = "Regional domain of the console assets bucket."
  type        = string
}

variable "origin_read_timeout" {
  description = "Seconds CloudFront waits for the next byte from the ALB (up to 60 without a quota increase; the SDK's SSE keep-alive every 15 s resets it)."
  type        = number
  default     = 60
}

variable "price_class" {
  description = "CloudFront price class (PriceClass_100 = North America and Europe edges)."
  type        = string
  default     = "PriceClass_100"
}

variable "waf_rate_limit_per_minute" {
  description = "Requests per client IP per 60 s before WAF answers 429. Matches the app's RATE_LIMIT_PER_MINUTE; see docs/infrastructure.md."
  type        = number
  default     = 100

  validation {
    condition     = var.waf_rate_limit_per_minute >= 10
    error_message = "AWS WAF rate-based rules accept a limit of 10 or more."
  }
}

variable "blocked_path_prefixes" {
  description = "Paths refused at the edge (internal endpoints that must never be public)."
  type        = list(string)
  default     = ["/metrics", "/admin"]

  validation {
    condition     = length(var.blocked_path_prefixes) > 0 && alltrue([for p in var.blocked_path_prefixes : can(regex("^/[a-z0-9_-]+$", p))])
    error_message = "blocked_path_prefixes must be non-empty and contain single path segments like /metrics."
  }
}

variable "enable_shield_advanced" {
  description = "Protect the distribution with Shield Advanced (requires an active subscription, $3,000/month)."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the WAF log group."
  type        = number
  default     = 30
}

variable "supabase_url" {
  description = "Supabase project URL the web console signs in with (the app's SUPABASE_URL); its origin is allowed in the console's CSP connect-src. Empty: API-key sign-in only."
  type        = string
  default     = ""

  validation {
    condition     = var.supabase_url == "" || can(regex("^https://[^/]+", var.supabase_url))
    error_message = "supabase_url must be empty or an https:// URL."
  }
}
