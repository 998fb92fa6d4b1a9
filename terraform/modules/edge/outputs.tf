output "distribution_id" {
  description = "CloudFront distribution id (for invalidations)."
  value       = aws_cloudfront_distribution.this.id
}

output "distribution_arn" {
  description = "CloudFront distribution ARN."
  value       = aws_cloudfront_distribution.this.arn
}

output "cloudfront_domain" {
  description = "The distribution's *.cloudfront.net domain."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "web_acl_name" {
  description = "WAF web ACL name (CloudWatch WebACL dimension)."
  value       = aws_wafv2_web_acl.this.name
}

output "waf_log_group_name" {
  description = "WAF log group (us-east-1)."
  value       = aws_cloudwatch_log_group.waf.name
}
