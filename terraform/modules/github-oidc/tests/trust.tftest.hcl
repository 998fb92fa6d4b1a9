# Trust and permission policies of the GitHub Actions roles, rendered by the real
# provider (fake credentials, plan only).

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake-secret-key-for-offline-plans"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

variables {
  name                       = "bland-mcp-production"
  environment                = "production"
  github_repository          = "example-org/bland-mcp"
  existing_oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
  state_bucket_name          = "example-terraform-state"
  state_key_prefix           = "bland-mcp/production/"
  hosted_zone_id             = "Z0123456789ABCDEFGHIJ"
}

run "deploy_role_trusts_only_the_production_environment" {
  command = plan

  assert {
    condition     = jsondecode(output.trust_policies["deploy"]).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == "repo:example-org/bland-mcp:environment:production"
    error_message = "The deploy role must trust exactly repo:example-org/bland-mcp:environment:production."
  }

  assert {
    condition     = jsondecode(output.trust_policies["deploy"]).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    error_message = "The audience must be pinned to sts.amazonaws.com."
  }

  assert {
    condition     = jsondecode(output.trust_policies["deploy"]).Statement[0].Principal.Federated == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    error_message = "The deploy role must be federated with the GitHub OIDC provider only."
  }

  assert {
    condition = alltrue([
      for role, document in output.trust_policies :
      !can(jsondecode(document).Statement[0].Condition.StringLike) && !strcontains(document, "*")
    ])
    error_message = "No trust policy may use StringLike or a wildcard."
  }
}

run "ami_builder_and_plan_subjects" {
  command = plan

  assert {
    condition     = jsondecode(output.trust_policies["ami_builder"]).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == "repo:example-org/bland-mcp:ref:refs/heads/main"
    error_message = "The AMI builder role must trust only workflows on main."
  }

  assert {
    condition = toset(jsondecode(output.trust_policies["plan"]).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]) == toset([
      "repo:example-org/bland-mcp:pull_request",
      "repo:example-org/bland-mcp:ref:refs/heads/main",
    ])
    error_message = "The plan role must trust pull requests and main (drift runs) only."
  }
}

run "deploy_policy_has_no_admin_wildcards" {
  command = plan

  assert {
    condition = alltrue([
      for statement in jsondecode(output.deploy_policy_json).Statement :
      !contains(flatten([statement.Action]), "*") && !contains(flatten([statement.Action]), "iam:*")
    ])
    error_message = "The deploy role must not be granted * or iam:*."
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(output.deploy_policy_json).Statement :
      can(statement.Condition.StringEquals["iam:PassedToService"]) && !contains(flatten([statement.Resource]), "*")
      if contains(flatten([statement.Action]), "iam:PassRole")
    ])
    error_message = "iam:PassRole must name its roles and the services they may be passed to."
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(output.deploy_policy_json).Statement :
      !contains(flatten([statement.Resource]), "*")
      if contains(flatten([statement.Action]), "s3:*")
    ])
    error_message = "s3:* must be limited to the environment's own buckets."
  }
}

run "creates_the_oidc_provider_when_none_exists" {
  command = plan

  variables {
    existing_oidc_provider_arn = ""
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1 && aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com"
    error_message = "Without an existing provider the module must create the GitHub OIDC provider."
  }
}

run "wildcard_repository_is_rejected" {
  command = plan

  variables {
    github_repository = "example-org/*"
  }

  expect_failures = [var.github_repository]
}
