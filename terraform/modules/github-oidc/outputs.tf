output "deploy_role_arn" {
  description = "Role for the deploy and rollback workflows (GitHub environment = this environment)."
  value       = aws_iam_role.deploy.arn
}

output "ami_builder_role_arn" {
  description = "Role for the Packer job (workflows on main)."
  value       = aws_iam_role.ami_builder.arn
}

output "plan_role_arn" {
  description = "Read-only role for pull-request plans and drift detection."
  value       = aws_iam_role.plan.arn
}

output "trust_policies" {
  description = "Rendered trust policy per role (deploy, ami_builder, plan)."
  value       = { for role, document in data.aws_iam_policy_document.trust : role => document.json }
}

output "deploy_policy_json" {
  description = "Rendered permissions of the deploy role."
  value       = data.aws_iam_policy_document.deploy.json
}
