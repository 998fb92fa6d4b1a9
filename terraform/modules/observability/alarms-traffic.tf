################################################################################
# Serving path. These are the alarms the deploy bake period watches.
################################################################################

resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  alarm_name          = "${var.name}-alb-5xx"
  alarm_description   = "The load balancer itself returns 5xx (no healthy target, or targets resetting connections)."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_ELB_5XX_Count"
  dimensions          = { LoadBalancer = var.alb_arn_suffix }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = [module.topic.arn]
  ok_actions          = [module.topic.arn]
}

resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  for_each = local.colors

  alarm_name          = "${var.name}-${each.key}-target-5xx"
  alarm_description   = "The ${each.key} instances answer with 5xx."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffixes[each.key] }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = [module.topic.arn]
  ok_actions          = [module.topic.arn]
}

resource "aws_cloudwatch_metric_alarm" "target_latency" {
  for_each = local.colors

  alarm_name          = "${var.name}-${each.key}-latency-p95"
  alarm_description   = "p95 response time of the ${each.key} instances is above ${var.target_response_time_p95_seconds} s."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffixes[each.key] }
  extended_statistic  = "p95"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.target_response_time_p95_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = [module.topic.arn]
  ok_actions          = [module.topic.arn]
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  for_each = local.colors

  alarm_name          = "${var.name}-${each.key}-unhealthy-hosts"
  alarm_description   = "At least one ${each.key} instance fails the /health/ready check."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffixes[each.key] }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [module.topic.arn]
  ok_actions          = [module.topic.arn]
}

resource "aws_cloudwatch_metric_alarm" "cloudfront_5xx_rate" {
  provider = aws.us_east_1

  alarm_name          = "${var.name}-cloudfront-5xx-rate"
  alarm_description   = "More than ${var.cloudfront_5xx_rate_percent}% of viewer requests end in 5xx."
  namespace           = "AWS/CloudFront"
  metric_name         = "5xxErrorRate"
  dimensions          = { DistributionId = var.distribution_id, Region = "Global" }
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.cloudfront_5xx_rate_percent
  treat_missing_data  = "notBreaching"
  alarm_actions       = [local.edge_topic_arn]
  ok_actions          = [local.edge_topic_arn]
}

resource "aws_route53_health_check" "ready" {
  fqdn              = var.domain_name
  type              = "HTTPS"
  port              = 443
  resource_path     = var.health_check_path
  enable_sni        = true
  request_interval  = 30
  failure_threshold = 3

  tags = { Name = "${var.name}-ready" }
}

resource "aws_cloudwatch_metric_alarm" "route53_ready" {
  provider = aws.us_east_1

  alarm_name          = "${var.name}-public-ready-check"
  alarm_description   = "https://${var.domain_name}${var.health_check_path} fails from Route 53's checkers (end to end through CloudFront)."
  namespace           = "AWS/Route53"
  metric_name         = "HealthCheckStatus"
  dimensions          = { HealthCheckId = aws_route53_health_check.ready.id }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = [local.edge_topic_arn]
  ok_actions          = [local.edge_topic_arn]
}
