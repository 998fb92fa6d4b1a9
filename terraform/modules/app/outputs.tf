output "asg_names" {
  description = "Auto Scaling group name per colour (changes when the colour gets a new launch template version)."
  value       = { for color, asg in aws_autoscaling_group.app : color => asg.name }
}

output "ami_ids" {
  description = "AMI per colour."
  value       = { for color, lt in aws_launch_template.app : color => lt.image_id }
}

output "instance_role_arn" {
  description = "IAM role of the application instances."
  value       = aws_iam_role.app.arn
}

output "instance_policy_json" {
  description = "The instance role's inline policy as rendered."
  value       = data.aws_iam_policy_document.app.json
}

output "log_group_name" {
  description = "Application log group."
  value       = aws_cloudwatch_log_group.app.name
}

output "parameter_path" {
  description = "SSM Parameter Store path holding the app's settings and secrets."
  value       = local.parameter_path
}

output "deploy_state_parameter" {
  description = "SSM parameter where deploys record their outcome."
  value       = aws_ssm_parameter.deploy_state.name
}
