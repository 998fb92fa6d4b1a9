data "aws_region" "current" {}

locals {
  colors = toset(["blue", "green"])

  # Alarms on us-east-1 metrics (CloudFront, Route 53 health checks) must live there, and an
  # alarm can only notify a topic in its own region.
  primary_is_us_east_1 = data.aws_region.current.name == "us-east-1"
  edge_topic_arn       = local.primary_is_us_east_1 ? module.topic.arn : module.edge_topic[0].arn
}

module "topic" {
  source = "../alarm-topic"

  name  = "${var.name}-alarms"
  email = var.alarm_email
}

module "edge_topic" {
  source = "../alarm-topic"
  count  = local.primary_is_us_east_1 ? 0 : 1

  providers = {
    aws = aws.us_east_1
  }

  name  = "${var.name}-edge-alarms"
  email = var.alarm_email
}

resource "aws_budgets_budget" "monthly" {
  name         = "${var.name}-monthly"
  budget_type  = "COST"
  limit_amount = tostring(var.monthly_budget_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  notification {
    comparison_operator       = "GREATER_THAN"
    threshold                 = 80
    threshold_type            = "PERCENTAGE"
    notification_type         = "ACTUAL"
    subscriber_sns_topic_arns = [module.topic.arn]
  }

  notification {
    comparison_operator       = "GREATER_THAN"
    threshold                 = 100
    threshold_type            = "PERCENTAGE"
    notification_type         = "ACTUAL"
    subscriber_sns_topic_arns = [module.topic.arn]
  }

  notification {
    comparison_operator       = "GREATER_THAN"
    threshold                 = 100
    threshold_type            = "PERCENTAGE"
    notification_type         = "FORECASTED"
    subscriber_sns_topic_arns = [module.topic.arn]
  }
}
