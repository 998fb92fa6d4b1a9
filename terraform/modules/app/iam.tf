data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "app" {
  name               = "${var.name}-app"
  path               = "/bland-mcp/"
  description        = "bland-mcp ${var.environment} application instances"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

resource "aws_iam_instance_profile" "app" {
  name = "${var.name}-app"
  path = "/bland-mcp/"
  role = aws_iam_role.app.name
}

locals {
  # ARNs built from names (not resource attributes) so the policy renders at plan time.
  log_group_arn        = "arn:aws:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_name}"
  parameter_arn_prefix = "arn:aws:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter${local.parameter_path}"
}

data "aws_iam_policy_document" "app" {
  statement {
    sid       = "ReadOwnSettings"
    actions   = ["ssm:GetParametersByPath", "ssm:GetParameters", "ssm:GetParameter"]
    resources = [local.parameter_arn_prefix, "${local.parameter_arn_prefix}/*"]
  }

  # SecureString parameters use the aws/ssm key; decryption is allowed only through SSM
  # and only for this environment's parameters (SSM puts the parameter ARN in the context).
  statement {
    sid       = "DecryptOwnSecrets"
    actions   = ["kms:Decrypt"]
    resources = ["arn:aws:kms:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ssm.${data.aws_region.current.name}.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:PARAMETER_ARN"
      values   = ["${local.parameter_arn_prefix}/*"]
    }
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${local.log_group_arn}:*"]
  }

  statement {
    sid       = "RecordingsObjects"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${var.recordings_bucket.arn}/recordings/*"]
  }

  statement {
    sid       = "RecordingsList"
    actions   = ["s3:ListBucket"]
    resources = [var.recordings_bucket.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["recordings/*"]
    }
  }

  statement {
    sid       = "PublishOwnMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = var.metric_namespaces
    }
  }

  # Session Manager and Run Command replace SSH. These actions have no resource-level
  # permissions. AmazonSSMManagedInstanceCore is not used: it also grants
  # ssm:GetParameter on every parameter in the account.
  statement {
    sid = "SessionManager"
    actions = [
      "ssm:UpdateInstanceInformation",
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
      "ec2messages:AcknowledgeMessage",
      "ec2messages:DeleteMessage",
      "ec2messages:FailMessage",
      "ec2messages:GetEndpoint",
      "ec2messages:GetMessages",
      "ec2messages:SendReply",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "app" {
  name   = "least-privilege"
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.app.json
}
