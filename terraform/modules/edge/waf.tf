################################################################################
# WAF (CLOUDFRONT scope, us-east-1)
################################################################################

locals {
  blocked_paths_regex = "^(${join("|", var.blocked_path_prefixes)})(/|$)"

  managed_rule_groups = {
    AWSManagedRulesAmazonIpReputationList = { priority = 1, count_only_rules = [] }
    # SizeRestrictions_BODY blocks bodies over 8 KB; a place_call task may be up to
    # 8,000 characters plus JSON, so it only counts here (the app caps bodies itself).
    AWSManagedRulesCommonRuleSet         = { priority = 2, count_only_rules = ["SizeRestrictions_BODY"] }
    AWSManagedRulesKnownBadInputsRuleSet = { priority = 3, count_only_rules = [] }
  }
}

resource "aws_wafv2_web_acl" "this" {
  provider = aws.us_east_1

  name        = var.name
  description = "bland-mcp edge protection"
  scope       = "CLOUDFRONT"

  default_action {
    allow {}
  }

  rule {
    name     = "BlockInternalPaths"
    priority = 0

    action {
      block {}
    }

    statement {
      regex_match_statement {
        regex_string = local.blocked_paths_regex

        field_to_match {
          uri_path {}
        }

        text_transformation {
          priority = 0
          type     = "URL_DECODE"
        }
        text_transformation {
          priority = 1
          type     = "NORMALIZE_PATH"
        }
        text_transformation {
          priority = 2
          type     = "LOWERCASE"
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-blocked-paths"
      sampled_requests_enabled   = true
    }
  }

  dynamic "rule" {
    for_each = local.managed_rule_groups

    content {
      name     = rule.key
      priority = rule.value.priority

      override_action {
        none {}
      }

      statement {
        managed_rule_group_statement {
          vendor_name = "AWS"
          name        = rule.key

          dynamic "rule_action_override" {
            for_each = rule.value.count_only_rules

            content {
              name = rule_action_override.value

              action_to_use {
                count {}
              }
            }
          }
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-${rule.key}"
        sampled_requests_enabled   = true
      }
    }
  }

  # Coarse flood guard at the edge; the app enforces the exact per-IP limit with a proper
  # 429 + Retry-After. Webhooks are excluded: Bland sends them from a few addresses and
  # they are authenticated by signature.
  rule {
    name     = "RateLimitPerIp"
    priority = 10

    action {
      block {
        custom_response {
          response_code = 429

          response_header {
            name  = "Retry-After"
            value = "60"
          }
        }
      }
    }

    statement {
      rate_based_statement {
        limit                 = var.waf_rate_limit_per_minute
        evaluation_window_sec = 60
        aggregate_key_type    = "IP"

        scope_down_statement {
          not_statement {
            statement {
              byte_match_statement {
                search_string         = "/webhooks/"
                positional_constraint = "STARTS_WITH"

                field_to_match {
                  uri_path {}
                }

                text_transformation {
                  priority = 0
                  type     = "NONE"
                }
              }
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }
}

# WAF requires the aws-waf-logs- prefix for its log destinations.
resource "aws_cloudwatch_log_group" "waf" {
  provider = aws.us_east_1

  name              = "aws-waf-logs-${var.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  provider = aws.us_east_1

  resource_arn            = aws_wafv2_web_acl.this.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]

  redacted_fields {
    single_header {
      name = "authorization"
    }
  }

  redacted_fields {
    single_header {
      name = lower(var.preview_token_header)
    }
  }

  # Keep only the requests WAF acted on: allowed traffic is in the ALB access logs.
  logging_filter {
    default_behavior = "DROP"

    filter {
      behavior    = "KEEP"
      requirement = "MEETS_ANY"

      condition {
        action_condition {
          action = "BLOCK"
        }
      }

      condition {
        action_condition {
          action = "COUNT"
        }
      }
    }
  }
}
