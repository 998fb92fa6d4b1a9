output "active_color" {
  description = "Colour receiving live traffic."
  value       = var.active_color
}

output "traffic_weights" {
  description = "Percent of live traffic per colour."
  value       = module.alb.traffic_weights
}

output "alb_listener_arn" {
  description = "HTTPS listener of the ALB."
  value       = module.alb.https_listener_arn
}

output "alb_traffic_rule_arn" {
  description = "Listener rule holding the weighted blue/green forward."
  value       = module.alb.traffic_rule_arn
}

output "target_group_arns" {
  description = "Target group ARN per colour."
  value       = module.alb.target_group_arns
}

output "asg_names" {
  description = "Auto Scaling group name per colour."
  value       = module.app.asg_names
}

output "ami_ids" {
  description = "AMI per colour."
  value       = module.app.ami_ids
}

output "alb_dns_name" {
  description = "DNS name of the ALB."
  value       = module.alb.alb_dns_name
}

output "preview_headers" {
  description = "Header names routing a request to one colour through CloudFront."
  value       = module.alb.preview_headers
}

output "cloudfront_domain" {
  description = "CloudFront domain of the distribution."
  value       = module.edge.cloudfront_domain
}

output "cloudfront_distribution_id" {
  description = "CloudFront distribution id (console asset invalidations)."
  value       = module.edge.distribution_id
}

output "public_url" {
  description = "Public base URL."
  value       = local.public_url
}

output "static_bucket_name" {
  description = "Bucket receiving console assets under console/."
  value       = module.storage.static_bucket.id
}

output "recordings_bucket_name" {
  description = "Bucket holding call recordings."
  value       = module.storage.recordings_bucket.id
}

output "deploy_state_parameter" {
  description = "SSM parameter where deploys record their outcome."
  value       = module.app.deploy_state_parameter
}

output "app_parameter_path" {
  description = "SSM path of the app's settings and secrets."
  value       = module.app.parameter_path
}

output "alarm_names" {
  description = "Primary-region alarms watched during a deploy's bake period."
  value       = module.observability.deploy_alarm_names
}

output "edge_alarm_names" {
  description = "us-east-1 alarms watched during a deploy's bake period."
  value       = module.observability.deploy_edge_alarm_names
}

output "nat_public_ip" {
  description = "Address outbound traffic leaves from."
  value       = module.network.nat_public_ip
}

output "github_role_arns" {
  description = "Roles for the GitHub workflows: deploy, ami_builder, plan."
  value = {
    deploy      = module.github_oidc.deploy_role_arn
    ami_builder = module.github_oidc.ami_builder_role_arn
    plan        = module.github_oidc.plan_role_arn
  }
}
