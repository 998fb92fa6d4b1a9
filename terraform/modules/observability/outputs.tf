output "alarm_topic_arn" {
  description = "SNS topic receiving alarms in the primary region."
  value       = module.topic.arn
}

output "deploy_alarm_names" {
  description = "Primary-region alarms a deploy's bake period watches (serving path)."
  value = concat(
    [aws_cloudwatch_metric_alarm.alb_5xx.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.target_5xx : alarm.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.target_latency : alarm.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.unhealthy_hosts : alarm.alarm_name],
  )
}

output "deploy_edge_alarm_names" {
  description = "us-east-1 alarms a deploy's bake period watches (CloudFront 5xx rate, public readiness check)."
  value = [
    aws_cloudwatch_metric_alarm.cloudfront_5xx_rate.alarm_name,
    aws_cloudwatch_metric_alarm.route53_ready.alarm_name,
  ]
}

output "dashboard_name" {
  description = "CloudWatch dashboard name."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}
