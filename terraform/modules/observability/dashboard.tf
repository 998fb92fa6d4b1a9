locals {
  region = data.aws_region.current.name

  alb_dims = ["LoadBalancer", var.alb_arn_suffix]

  dashboard_widgets = [
    {
      title   = "Requests and ALB 5xx"
      metrics = [["AWS/ApplicationELB", "RequestCount", local.alb_dims[0], local.alb_dims[1], { stat = "Sum" }], ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", local.alb_dims[0], local.alb_dims[1], { stat = "Sum" }]]
      region  = local.region
    },
    {
      title   = "Target 5xx per colour"
      metrics = [for color in local.colors : ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffixes[color], { stat = "Sum", label = color }]]
      region  = local.region
    },
    {
      title   = "p95 response time per colour"
      metrics = [for color in local.colors : ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffixes[color], { stat = "p95", label = color }]]
      region  = local.region
    },
    {
      title   = "Healthy hosts per colour"
      metrics = [for color in local.colors : ["AWS/ApplicationELB", "HealthyHostCount", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffixes[color], { stat = "Minimum", label = color }]]
      region  = local.region
    },
    {
      title   = "Poller"
      metrics = [for metric in ["Invocations", "Errors", "Throttles", "Duration"] : ["AWS/Lambda", metric, "FunctionName", var.poller_function_name, { stat = metric == "Duration" ? "Maximum" : "Sum" }]]
      region  = local.region
    },
    {
      title   = "App freshness (seconds)"
      metrics = [for alarm in local.app_metric_alarms : [var.app_metrics_namespace, alarm.metric, "Environment", var.environment, { stat = "Maximum" }]]
      region  = local.region
    },
    {
      title   = "CloudFront 5xx rate (%)"
      metrics = [["AWS/CloudFront", "5xxErrorRate", "DistributionId", var.distribution_id, "Region", "Global", { stat = "Average" }]]
      region  = "us-east-1"
    },
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name

  dashboard_body = jsonencode({
    widgets = [
      for index, widget in local.dashboard_widgets : {
        type   = "metric"
        x      = (index % 2) * 12
        y      = floor(index / 2) * 6
        width  = 12
        height = 6
        properties = {
          title   = widget.title
          metrics = widget.metrics
          region  = widget.region
          view    = "timeSeries"
          stacked = false
          period  = 60
        }
      }
    ]
  })
}
