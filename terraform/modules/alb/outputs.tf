output "alb_arn_suffix" {
  description = "ALB ARN suffix (CloudWatch LoadBalancer dimension)."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the ALB (reachable only from CloudFront)."
  value       = aws_lb.this.dns_name
}

output "security_group_id" {
  description = "ALB security group; the instances accept the app port from it only."
  value       = aws_security_group.alb.id
}

output "https_listener_arn" {
  description = "HTTPS listener ARN."
  value       = aws_lb_listener.https.arn
}

output "traffic_rule_arn" {
  description = "Listener rule carrying the weighted blue/green forward."
  value       = aws_lb_listener_rule.traffic.arn
}

output "target_group_arns" {
  description = "Target group ARN per colour."
  value       = { for color, tg in aws_lb_target_group.this : color => tg.arn }
}

output "target_group_arn_suffixes" {
  description = "Target group ARN suffix per colour (CloudWatch TargetGroup dimension)."
  value       = { for color, tg in aws_lb_target_group.this : color => tg.arn_suffix }
}

output "traffic_weights" {
  description = "Percent of live traffic per colour."
  value       = local.traffic_weights
}

output "origin_verify_header" {
  description = "Header name CloudFront must send with the origin secret."
  value       = local.origin_verify_header
}

output "preview_headers" {
  description = "Header names that route a request to one colour: {color, token}."
  value       = { color = local.preview_color_header, token = local.preview_token_header }
}
