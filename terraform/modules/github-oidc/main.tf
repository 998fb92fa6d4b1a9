data "aws_caller_identity" "current" {}

locals {
  account_id    = data.aws_caller_identity.current.account_id
  oidc_host     = "token.actions.githubusercontent.com"
  provider_arn  = var.existing_oidc_provider_arn != "" ? var.existing_oidc_provider_arn : aws_iam_openid_connect_provider.github[0].arn
  repo_subject  = "repo:${var.github_repository}"
  ci_role_path  = "/bland-mcp-ci/"
  app_role_path = "/bland-mcp/"

  # Exact OIDC subjects per role: no wildcards, so a fork, another branch or another
  # environment can never assume them.
  subjects = {
    deploy      = ["${local.repo_subject}:environment:${var.environment}"]
    ami_builder = ["${local.repo_subject}:ref:refs/heads/main"]
    plan        = ["${local.repo_subject}:pull_request", "${local.repo_subject}:ref:refs/heads/main"]
  }
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.existing_oidc_provider_arn == "" ? 1 : 0

  url            = "https://${local.oidc_host}"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "trust" {
  for_each = local.subjects

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = each.value
    }
  }
}

# The CI roles live under their own path, which the deploy role can read but not change:
# the pipeline cannot widen its own permissions. Changes to this module need an admin apply.
resource "aws_iam_role" "deploy" {
  name                 = "${var.name}-github-deploy"
  path                 = local.ci_role_path
  description          = "GitHub Actions: terraform apply and blue/green deploys (${var.environment})"
  assume_role_policy   = data.aws_iam_policy_document.trust["deploy"].json
  max_session_duration = 7200
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

resource "aws_iam_role" "ami_builder" {
  name               = "${var.name}-github-ami-builder"
  path               = local.ci_role_path
  description        = "GitHub Actions: Packer builds of the application AMI"
  assume_role_policy = data.aws_iam_policy_document.trust["ami_builder"].json
}

resource "aws_iam_role_policy" "ami_builder" {
  name   = "packer"
  role   = aws_iam_role.ami_builder.id
  policy = data.aws_iam_policy_document.ami_builder.json
}

resource "aws_iam_role" "plan" {
  name               = "${var.name}-github-plan"
  path               = local.ci_role_path
  description        = "GitHub Actions: read-only terraform plan for pull requests and drift detection"
  assume_role_policy = data.aws_iam_policy_document.trust["plan"].json
}

resource "aws_iam_role_policy_attachment" "plan_read_only" {
  role       = aws_iam_role.plan.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy" "plan" {
  name   = "state-and-secrets"
  role   = aws_iam_role.plan.id
  policy = data.aws_iam_policy_document.plan.json
}
