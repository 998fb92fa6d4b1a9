output "id" {
  description = "Bucket name."
  value       = aws_s3_bucket.this.id
}

output "arn" {
  description = "Bucket ARN."
  value       = aws_s3_bucket.this.arn
}

output "regional_domain_name" {
  description = "Regional endpoint, used as a CloudFront S3 origin."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}

output "policy_json" {
  description = "The bucket policy as applied (TLS-only deny plus extra statements)."
  value       = local.policy
}
