# The whole production root planned by the REAL AWS provider (schema and argument
# validation as in CI's `terraform plan`), with fake credentials: every data source that
# would call AWS is overridden, and a plan creates nothing.

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake-secret-key-for-offline-plans"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

provider "aws" {
  alias                       = "us_east_1"
  region                      = "us-east-1"
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake-secret-key-for-offline-plans"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

variables {
  region               = "eu-west-1"
  active_color         = "green"
  blue_ami_id          = "ami-0123456789abcdef0"
  green_ami_id         = "ami-0fedcba9876543210"
  app_version          = "1.2.3"
  git_sha              = "0123456789abcdef0123456789abcdef01234567"
  lambda_zip_path      = "tests/fixtures/poller.zip"
  domain_name          = "mcp.example.com"
  hosted_zone_id       = "Z0123456789ABCDEFGHIJ"
  alarm_email          = "oncall@example.com"
  github_repository    = "example-org/bland-mcp"
  state_bucket_name    = "example-terraform-state"
  origin_verify_secret = "origin-secret-origin-secret-origin-secret"
  preview_token        = "preview-token-preview-token-preview-token"
}

override_data {
  target = module.stack.module.network.data.aws_availability_zones.available
  values = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
}

override_data {
  target = module.stack.module.network.data.aws_ssm_parameter.al2023_arm64
  values = { insecure_value = "ami-0bbbbbbbbbbbbbbbb" }
}

override_data {
  target = module.stack.module.alb.data.aws_ec2_managed_prefix_list.cloudfront
  values = { id = "pl-4fa04526" }
}

override_data {
  target = module.stack.module.alb.data.aws_vpc.this
  values = { cidr_block = "10.20.0.0/16" }
}

override_data {
  target = module.stack.module.storage.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.stack.module.app.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.stack.module.poller.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.stack.module.github_oidc.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.stack.module.observability.module.topic.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.stack.module.observability.module.edge_topic[0].data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

run "production_plans_with_the_real_provider" {
  command = plan

  assert {
    condition     = output.traffic_weights == { blue = 0, green = 100 }
    error_message = "Green active: green gets all traffic."
  }

  assert {
    condition     = output.deploy_state_parameter == "/bland-mcp/production/deploy/state"
    error_message = "Deploys record their state in /bland-mcp/production/deploy/state."
  }

  assert {
    condition     = output.app_parameter_path == "/bland-mcp/production/app"
    error_message = "The app reads its settings from /bland-mcp/production/app."
  }

  assert {
    condition = toset(output.alarm_names) == toset([
      "bland-mcp-production-alb-5xx",
      "bland-mcp-production-blue-target-5xx",
      "bland-mcp-production-green-target-5xx",
      "bland-mcp-production-blue-latency-p95",
      "bland-mcp-production-green-latency-p95",
      "bland-mcp-production-blue-unhealthy-hosts",
      "bland-mcp-production-green-unhealthy-hosts",
    ])
    error_message = "The bake period must watch 5xx, latency and health of both colours and the ALB."
  }

  assert {
    condition     = toset(output.edge_alarm_names) == toset(["bland-mcp-production-cloudfront-5xx-rate", "bland-mcp-production-public-ready-check"])
    error_message = "The bake period must also watch CloudFront's 5xx rate and the public readiness check."
  }

  assert {
    condition     = output.public_url == "https://mcp.example.com"
    error_message = "public_url is https://<domain_name>."
  }
}
