# The weighted forward on the listener rule, checked on the applied (mocked) resources:
# each colour's target group gets the weight the variables ask for.

mock_provider "aws" {
  mock_data "aws_vpc" {
    defaults = { cidr_block = "10.20.0.0/16" }
  }

  mock_resource "aws_lb" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/mock/0123456789abcdef"
      arn_suffix = "app/mock/0123456789abcdef"
      dns_name   = "mock-123.us-east-1.elb.amazonaws.com"
      zone_id    = "Z35SXDOTRQ7X7K"
    }
  }

  mock_resource "aws_lb_listener" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/mock/0123456789abcdef/0123456789abcdef"
    }
  }

  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
      domain_validation_options = [{
        domain_name           = "origin.mcp.example.com"
        resource_record_name  = "_x.origin.mcp.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_y.acm-validations.aws."
      }]
    }
  }
}

override_resource {
  target = aws_lb_target_group.this["blue"]
  values = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0000000000000001" }
}

override_resource {
  target = aws_lb_target_group.this["green"]
  values = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/0000000000000002" }
}

variables {
  name                 = "bland-mcp-test"
  vpc_id               = "vpc-0123456789abcdef0"
  public_subnet_ids    = ["subnet-0000000000000000a", "subnet-0000000000000000b"]
  origin_domain_name   = "origin.mcp.example.com"
  hosted_zone_id       = "Z0123456789ABCDEFGHIJ"
  access_logs_bucket   = "logs-bucket"
  active_color         = "blue"
  origin_verify_secret = "origin-secret-origin-secret-origin-secret"
  preview_token        = "preview-token-preview-token-preview-token"
}

run "blue_active" {
  assert {
    condition = toset(aws_lb_listener_rule.traffic.action[0].forward[0].target_group) == toset([
      { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0000000000000001", weight = 100 },
      { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/0000000000000002", weight = 0 },
    ])
    error_message = "Blue active: the blue target group must have weight 100 and green 0."
  }
}

run "green_active_with_canary" {
  variables {
    active_color  = "green"
    canary_weight = 25
  }

  assert {
    condition = toset(aws_lb_listener_rule.traffic.action[0].forward[0].target_group) == toset([
      { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0000000000000001", weight = 25 },
      { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/0000000000000002", weight = 75 },
    ])
    error_message = "Green active with a 25% canary: green 75, blue 25."
  }
}

run "traffic_requires_the_origin_secret" {
  assert {
    condition     = aws_lb_listener.https.default_action[0].type == "fixed-response" && aws_lb_listener.https.default_action[0].fixed_response[0].status_code == "403"
    error_message = "Requests without the CloudFront origin secret must get 403."
  }

  assert {
    condition     = one(aws_lb_listener_rule.traffic.condition).http_header[0].http_header_name == "X-Origin-Verify"
    error_message = "The traffic rule must match the origin secret header."
  }
}

run "preview_rules_route_one_colour_each" {
  assert {
    condition     = aws_lb_listener_rule.preview["green"].action[0].target_group_arn == "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/0000000000000002"
    error_message = "The green preview rule must forward to the green target group."
  }

  assert {
    condition     = length(aws_lb_listener_rule.preview["blue"].condition) == 3
    error_message = "A preview rule needs the origin secret, the preview token and the colour."
  }
}

run "invalid_colour_is_rejected" {
  command = plan

  variables {
    active_color = "red"
  }

  expect_failures = [var.active_color]
}
