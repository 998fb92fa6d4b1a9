# Blue/green traffic weights through the whole production root, with a mocked AWS
# provider: no credentials, no network. Plans only; weights are known at plan time.

mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "./tests/mocks"
}

variables {
  active_color         = "blue"
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

run "blue_takes_all_traffic" {
  command = plan

  assert {
    condition     = output.traffic_weights == { blue = 100, green = 0 }
    error_message = "With active_color = blue and no canary, blue must get 100% and green 0%."
  }

  assert {
    condition     = output.active_color == "blue"
    error_message = "The active_color output must echo the variable."
  }
}

run "green_takes_all_traffic" {
  command = plan

  variables {
    active_color = "green"
  }

  assert {
    condition     = output.traffic_weights == { blue = 0, green = 100 }
    error_message = "With active_color = green and no canary, green must get 100% and blue 0%."
  }
}

run "canary_sends_a_share_to_the_inactive_colour" {
  command = plan

  variables {
    active_color  = "blue"
    canary_weight = 10
  }

  assert {
    condition     = output.traffic_weights == { blue = 90, green = 10 }
    error_message = "A 10% canary with blue active must send 90% to blue and 10% to green."
  }

  assert {
    condition     = sum(values(output.traffic_weights)) == 100
    error_message = "Weights must always add up to 100."
  }
}

run "both_colours_have_their_own_group_and_ami" {
  command = plan

  assert {
    condition     = output.blue_ami_id == "ami-0123456789abcdef0" && output.green_ami_id == "ami-0fedcba9876543210"
    error_message = "Each colour must run its own AMI."
  }
}

run "invalid_colour_is_rejected" {
  command = plan

  variables {
    active_color = "purple"
  }

  expect_failures = [var.active_color]
}

run "canary_above_100_is_rejected" {
  command = plan

  variables {
    canary_weight = 101
  }

  expect_failures = [var.canary_weight]
}

run "fractional_canary_is_rejected" {
  command = plan

  variables {
    canary_weight = 2.5
  }

  expect_failures = [var.canary_weight]
}
