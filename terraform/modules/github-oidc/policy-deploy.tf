locals {
  env_prefix = var.name # e.g. bland-mcp-production

  # Services whose resources the stack creates and whose APIs offer no practical
  # resource-level scoping for create/describe. Documented as a known limit.
  unscoped_service_actions = [
    "ec2:*",
    "elasticloadbalancing:*",
    "autoscaling:*",
    "cloudfront:*",
    "wafv2:*",
    "acm:*",
    "budgets:*",
    "shield:*",
  ]

  managed_role_names = ["${local.env_prefix}-app", "${local.env_prefix}-poller-function", "${local.env_prefix}-poller-scheduler"]
}

data "aws_iam_policy_document" "deploy" {
  source_policy_documents = [data.aws_iam_policy_document.state_read.json]

  statement {
    sid       = "WriteState"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = [local.state_objects_arn]
  }

  statement {
    sid       = "StackServices"
    actions   = local.unscoped_service_actions
    resources = ["*"]
  }

  statement {
    sid       = "OwnBuckets"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::${local.env_prefix}-*"]
  }

  statement {
    sid       = "OwnBucketObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::${local.env_prefix}-*/*"]
  }

  statement {
    sid       = "OwnFunction"
    actions   = ["lambda:*"]
    resources = ["arn:aws:lambda:*:${local.account_id}:function:${local.env_prefix}-*"]
  }

  statement {
    sid       = "OwnSchedule"
    actions   = ["scheduler:*"]
    resources = ["arn:aws:scheduler:*:${local.account_id}:schedule/default/${local.env_prefix}-*"]
  }

  statement {
    sid       = "OwnQueuesAndTopics"
    actions   = ["sqs:*", "sns:*"]
    resources = ["arn:aws:sqs:*:${local.account_id}:${local.env_prefix}-*", "arn:aws:sns:*:${local.account_id}:${local.env_prefix}-*"]
  }

  statement {
    sid       = "OwnParameters"
    actions   = ["ssm:*"]
    resources = ["arn:aws:ssm:*:${local.account_id}:parameter/bland-mcp/${var.environment}/*"]
  }

  # The NAT instance's AMI comes from Amazon's public AL2023 parameter.
  statement {
    sid       = "PublicAmiParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = ["arn:aws:ssm:*::parameter/aws/service/ami-amazon-linux-latest/*"]
  }

  statement {
    sid     = "OwnLogsAndAlarms"
    actions = ["logs:*", "cloudwatch:*"]
    resources = [
      "arn:aws:logs:*:${local.account_id}:log-group:/bland-mcp/${var.environment}/*",
      "arn:aws:logs:*:${local.account_id}:log-group:/aws/lambda/${local.env_prefix}-*",
      "arn:aws:logs:*:${local.account_id}:log-group:aws-waf-logs-${local.env_prefix}*",
      "arn:aws:cloudwatch:*:${local.account_id}:alarm:${local.env_prefix}-*",
      "arn:aws:cloudwatch::${local.account_id}:dashboard/${local.env_prefix}",
    ]
  }

  statement {
    sid = "DescribeEverything"
    actions = [
      "ssm:DescribeParameters",
      "logs:DescribeLogGroups",
      "logs:DescribeResourcePolicies",
      "logs:PutResourcePolicy",
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "cloudwatch:DescribeAlarms",
      "cloudwatch:GetMetricData",
      "cloudwatch:ListMetrics",
      "kms:CreateKey",
      "kms:ListAliases",
      "sts:GetCallerIdentity",
      "route53:GetChange",
      "route53:ListHostedZones",
      "route53:CreateHealthCheck",
      "route53:GetHealthCheck",
      "route53:UpdateHealthCheck",
      "route53:DeleteHealthCheck",
      "route53:ListTagsForResource",
      "route53:ChangeTagsForResource",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "OwnRecords"
    actions   = ["route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ChangeResourceRecordSets"]
    resources = ["arn:aws:route53:::hostedzone/${var.hosted_zone_id}"]
  }

  statement {
    sid       = "OwnKeys"
    actions   = ["kms:*"]
    resources = ["arn:aws:kms:*:${local.account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [var.environment]
    }
  }

  statement {
    sid       = "OwnKeyAliases"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = ["arn:aws:kms:*:${local.account_id}:alias/${local.env_prefix}-*", "arn:aws:kms:*:${local.account_id}:key/*"]
  }

  statement {
    sid = "AppRoles"
    actions = [
      "iam:CreateRole",
      "iam:DeleteRole",
      "iam:GetRole",
      "iam:UpdateRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:PutRolePolicy",
      "iam:GetRolePolicy",
      "iam:DeleteRolePolicy",
      "iam:ListRolePolicies",
      "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
      "iam:CreateInstanceProfile",
      "iam:DeleteInstanceProfile",
      "iam:GetInstanceProfile",
      "iam:TagInstanceProfile",
      "iam:AddRoleToInstanceProfile",
      "iam:RemoveRoleFromInstanceProfile",
    ]
    resources = concat(
      [for role in local.managed_role_names : "arn:aws:iam::${local.account_id}:role${local.app_role_path}${role}"],
      ["arn:aws:iam::${local.account_id}:instance-profile${local.app_role_path}${local.env_prefix}-app"],
    )
  }

  statement {
    sid       = "PassAppRoles"
    actions   = ["iam:PassRole"]
    resources = [for role in local.managed_role_names : "arn:aws:iam::${local.account_id}:role${local.app_role_path}${role}"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ec2.amazonaws.com", "lambda.amazonaws.com", "scheduler.amazonaws.com"]
    }
  }

  # Read-only on the CI roles and the OIDC provider (refresh), never write.
  statement {
    sid = "ReadCiIdentity"
    actions = [
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListRolePolicies",
      "iam:ListAttachedRolePolicies",
      "iam:GetOpenIDConnectProvider",
    ]
    resources = [
      "arn:aws:iam::${local.account_id}:role${local.ci_role_path}*",
      "arn:aws:iam::${local.account_id}:oidc-provider/${local.oidc_host}",
    ]
  }

  # Service-linked roles that ELB, Auto Scaling and CloudFront create on first use.
  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["arn:aws:iam::${local.account_id}:role/aws-service-role/*"]

    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["elasticloadbalancing.amazonaws.com", "autoscaling.amazonaws.com", "logdelivery.cloudfront.amazonaws.com", "ops.apigateway.amazonaws.com"]
    }
  }
}
