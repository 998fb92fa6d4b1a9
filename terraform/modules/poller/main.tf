data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  function_name        = "${var.name}-poller"
  parameter_arn_prefix = "arn:aws:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter${var.parameter_path}"
}

################################################################################
# Function
################################################################################

resource "aws_cloudwatch_log_group" "poller" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "poller" {
  function_name    = local.function_name
  description      = "Reconciles call status with Bland every few minutes"
  role             = aws_iam_role.poller.arn
  runtime          = "nodejs22.x"
  handler          = "poller.handler"
  architectures    = ["arm64"]
  filename         = var.lambda_zip_path
  source_code_hash = filebase64sha256(var.lambda_zip_path)
  memory_size      = var.memory_mb
  timeout          = var.timeout_seconds

  # One run at a time: an overlapping tick is throttled, retried briefly, then dropped.
  # The database lease is what actually keeps the Lambda and the in-app fallback apart.
  reserved_concurrent_executions = 1

  # Not in a VPC: it needs only the internet (Bland, Supabase) and AWS APIs, and
  # staying outside avoids depending on the NAT instance.
  environment {
    variables = {
      NODE_ENV           = "production"
      NODE_OPTIONS       = "--enable-source-maps"
      APP_PARAMETER_PATH = var.parameter_path
      APP_VERSION        = var.release.app_version
      GIT_SHA            = var.release.git_sha
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.poller.name
  }

  depends_on = [aws_iam_role_policy.poller]
}

# Invocations from the scheduler are asynchronous: keep retries and queue age short so a
# stale tick is dropped (the next one re-polls) and failures land in the queue.
resource "aws_lambda_function_event_invoke_config" "poller" {
  function_name                = aws_lambda_function.poller.function_name
  maximum_retry_attempts       = 1
  maximum_event_age_in_seconds = 240

  destination_config {
    on_failure {
      destination = aws_sqs_queue.failures.arn
    }
  }
}

################################################################################
# Failure queue: async invocation records and undeliverable schedule events
################################################################################

resource "aws_sqs_queue" "failures" {
  name                      = "${local.function_name}-failures"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

data "aws_iam_policy_document" "failures_queue" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [aws_sqs_queue.failures.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "failures" {
  queue_url = aws_sqs_queue.failures.id
  policy    = data.aws_iam_policy_document.failures_queue.json
}

################################################################################
# Schedule
################################################################################

resource "aws_scheduler_schedule" "poller" {
  name                = local.function_name
  description         = "Runs the call status poller"
  schedule_expression = var.schedule_expression

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.poller.arn
    role_arn = aws_iam_role.scheduler.arn

    retry_policy {
      maximum_retry_attempts       = 2
      maximum_event_age_in_seconds = 240
    }

    dead_letter_config {
      arn = aws_sqs_queue.failures.arn
    }
  }
}
