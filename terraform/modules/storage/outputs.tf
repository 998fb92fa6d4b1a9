output "recordings_bucket" {
  description = "Recordings bucket: name and ARN."
  value       = { id = module.recordings.id, arn = module.recordings.arn }
}

output "static_bucket" {
  description = "Console assets bucket: name, ARN and regional domain (CloudFront origin)."
  value       = { id = module.static.id, arn = module.static.arn, regional_domain_name = module.static.regional_domain_name }
}

output "logs_bucket" {
  description = "Access/flow logs bucket: name and ARN."
  value       = { id = module.logs.id, arn = module.logs.arn }
}
