# Read by the deploy scripts with `terraform output -json`. Names are a contract.

output "active_color" {
  description = "Colour receiving live traffic."
  value       = module.stack.active_color
}

output "canary_weight" {
  description = "Percent of traffic on the inactive colour."
  value       = var.canary_weight
}

output "traffic_weights" {
  description = "Percent of live traffic per colour, e.g. {blue = 100, green = 0}."
  value       = module.stack.traffic_weights
}

output "alb_listener_arn" {
  description = "HTTPS listener of the ALB."
  value       = module.stack.alb_listener_arn
}

output "alb_traffic_rule_arn" {
  description = "Listener rule holding the weighted forward (what a manual rollback with the AWS CLI modifies)."
  value       = module.stack.alb_traffic_rule_arn
}

output "blue_target_group_arn" {
  description = "Target group of the blue colour."
  value       = module.stack.target_group_arns["blue"]
}

output "green_target_group_arn" {
  description = "Target group of the green colour."
  value       = module.stack.target_group_arns["green"]
}

output "blue_asg_name" {
  description = "Auto Scaling group of the blue colour."
  value       = module.stack.asg_names["blue"]
}

output "green_asg_name" {
  description = "Auto Scaling group of the green colour."
  value       = module.stack.asg_names["green"]
}

output "blue_ami_id" {
  description = "AMI of the blue colour."
  value       = module.stack.ami_ids["blue"]
}

output "green_ami_id" {
  description = "AMI of the green colour."
  value       = module.stack.ami_ids["green"]
}

output "alb_dns_name" {
  description = "DNS name of the ALB (reachable only through CloudFront)."
  value       = module.stack.alb_dns_name
}

output "preview_headers" {
  description = "Header names that route a request through CloudFront to one colour: {color, token}."
  value       = module.stack.preview_headers
}

output "cloudfront_domain" {
  description = "CloudFront domain of the distribution."
  value       = module.stack.cloudfront_domain
}

output "cloudfront_distribution_id" {
  description = "CloudFront distribution id (invalidate /console/index.html after uploading assets)."
  value       = module.stack.cloudfront_distribution_id
}

output "public_url" {
  description = "Public base URL of the service."
  value       = module.stack.public_url
}

output "static_bucket_name" {
  description = "Bucket receiving the console assets under console/."
  value       = module.stack.static_bucket_name
}

output "recordings_bucket_name" {
  description = "Bucket holding call recordings."
  value       = module.stack.recordings_bucket_name
}

output "deploy_state_parameter" {
  description = "SSM parameter where deploys record state (/bland-mcp/<env>/deploy/state)."
  value       = module.stack.deploy_state_parameter
}

output "app_parameter_path" {
  description = "SSM path of the app's settings and secrets (/bland-mcp/<env>/app)."
  value       = module.stack.app_parameter_path
}

output "alarm_names" {
  description = "Alarms (primary region) the deploy bake period watches."
  value       = module.stack.alarm_names
}

output "edge_alarm_names" {
  description = "Alarms in us-east-1 (CloudFront, Route 53 check) the deploy bake period watches."
  value       = module.stack.edge_alarm_names
}

output "nat_public_ip" {
  description = "Address outbound traffic leaves from."
  value       = module.stack.nat_public_ip
}

output "github_role_arns" {
  description = "Roles for the GitHub workflows: deploy, ami_builder, plan."
  value       = module.stack.github_role_arns
}
