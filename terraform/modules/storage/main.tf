data "aws_caller_identity" "current" {}

data "aws_elb_service_account" "current" {}

locals {
  bucket_prefix = "${var.name}-${data.aws_caller_identity.current.account_id}"
}

################################################################################
# Recordings: call audio the app copies from Bland, read via presigned URLs
################################################################################

module "recordings" {
  source = "../private-bucket"

  bucket_name          = "${local.bucket_prefix}-recordings"
  sse_algorithm        = "aws:kms"
  cors_allowed_origins = [var.app_origin]

  lifecycle_rules = [{
    id                                 = "recordings"
    expiration_days                    = var.recordings_retention_days
    noncurrent_version_expiration_days = 30
    transitions = [
      { days = 30, storage_class = "STANDARD_IA" },
      { days = 90, storage_class = "GLACIER_IR" },
    ]
  }]
}

################################################################################
# Static: console assets served by CloudFront (SSE-S3: OAC cannot use the aws/s3 KMS key)
################################################################################

data "aws_iam_policy_document" "static_cloudfront_read" {
  statement {
    sid       = "CloudFrontReadsConsoleAssets"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${local.bucket_prefix}-static/console/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [var.cloudfront_distribution_arn]
    }
  }
}

module "static" {
  source = "../private-bucket"

  bucket_name             = "${local.bucket_prefix}-static"
  sse_algorithm           = "AES256"
  extra_policy_statements = jsonencode(jsondecode(data.aws_iam_policy_document.static_cloudfront_read.json).Statement)

  lifecycle_rules = [{
    id                                 = "old-console-builds"
    noncurrent_version_expiration_days = 30
  }]
}

################################################################################
# Logs: ALB access logs and VPC flow logs (SSE-S3: ALB log delivery requires it)
################################################################################

data "aws_iam_policy_document" "log_delivery" {
  statement {
    sid       = "AlbAccessLogsLegacyRegions"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${local.bucket_prefix}-logs/alb/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }

  statement {
    sid       = "AlbAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${local.bucket_prefix}-logs/alb/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }

  statement {
    sid       = "FlowLogsWrite"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${local.bucket_prefix}-logs/vpc-flow-logs/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  statement {
    sid       = "FlowLogsCheckBucket"
    actions   = ["s3:GetBucketAcl", "s3:ListBucket"]
    resources = ["arn:aws:s3:::${local.bucket_prefix}-logs"]

    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

module "logs" {
  source = "../private-bucket"

  bucket_name             = "${local.bucket_prefix}-logs"
  sse_algorithm           = "AES256"
  extra_policy_statements = jsonencode(jsondecode(data.aws_iam_policy_document.log_delivery.json).Statement)

  lifecycle_rules = [{
    id                                 = "expire-logs"
    expiration_days                    = 90
    noncurrent_version_expiration_days = 7
  }]
}
