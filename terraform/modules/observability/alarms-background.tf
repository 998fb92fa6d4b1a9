################################################################################
# Background work: the poller Lambda, its failure queue, the app's own metrics
################################################################################

locals {
  poller_alarms = {
    errors = {
      description = "The poller function failed."
      metric      = "Errors"
      statistic   = "Sum"
      threshold   = 0
    }
    throttles = {
      description = "Poller invocations were throttled (runs overlapping: a run took longer than the interval)."
      metric      = "Throttles"
      statistic   = "Sum"
      threshold   = 0
    }
    destination-failures = {
      description = "Failed invocations could not be written to the failure queue."
      metric      = "DestinationDeliveryFailures"
      statistic   = "Sum"
      threshold   = 0
    }
    async-events-dropped = {
      description = "Scheduled ticks were dropped before running (too old or retries exhausted)."
      metric      = "AsyncEventsDropped"
      statistic   = "Sum"
      threshold   = 0
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "poller" {
  for_each = local.poller_alarms

  alarm_name          = "${var.name}-poller-${each.key}"
  alarm_description   = each.value.description
  namespace           = "AWS/Lambda"
  metric_name         = each.value.metric
  dimensions          = { FunctionName = var.poller_function_name }
  statistic           = each.value.statistic
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = [module.topic.arn]
  ok_actions          = [module.topic.arn]
}

# Dead-man's switch: no invocation for 15 minutes means the schedule is broken or disabled.
resource "aws_cloudwatch_metric_alarm" "poller_heartbeat" {
  alarm_name          = "${var.name}-poller-heartbeat"
  alarm_description   = "The poller has not been invoked for 15 minutes."
  namespace           = "AWS/Lambda"
  metric_name         = "Invocations"
  dimensions          = { FunctionName = var.poller_function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = [module.topic.arn]
  ok_actions          = [module.topic.arn]
}

resource "aws_cloudwatch_metric_alarm" "failure_queue_depth" {
  alarm_name          = "${var.name}-poller-failure-queue-depth"
  alarm_description   = "Failed poller invocations are waiting in the failure queue."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = var.poller_failure_queue_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [module.topic.arn]
  ok_actions          = [module.topic.arn]
}

resource "aws_cloudwatch_metric_alarm" "failure_queue_age" {
  alarm_name          = "${var.name}-poller-failure-queue-age"
  alarm_description   = "The oldest failed invocation has waited more than a day without being looked at."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = var.poller_failure_queue_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 86400
  treat_missing_data  = "notBreaching"
  alarm_actions       = [module.topic.arn]
  ok_actions          = [module.topic.arn]
}

locals {
  app_metric_alarms = {
    poller-last-success-age = {
      description = "No successful poll (by the Lambda or the in-app fallback) for 15 minutes."
      metric      = "PollerLastSuccessAgeSeconds"
      threshold   = 900
    }
    sheets-backlog-age = {
      description = "The oldest call not yet written to Google Sheets is more than 30 minutes old."
      metric      = "SheetsBacklogAgeSeconds"
      threshold   = 1800
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "app" {
  for_each = local.app_metric_alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = var.app_metrics_namespace
  metric_name         = each.value.metric
  dimensions          = { Environment = var.environment }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = [module.topic.arn]
  ok_actions          = [module.topic.arn]
}
