locals {
  colors         = toset(["blue", "green"])
  inactive_color = var.active_color == "blue" ? "green" : "blue"

  # The whole blue/green switch: the active colour gets everything but the canary share.
  traffic_weights = {
    (var.active_color)     = 100 - var.canary_weight
    (local.inactive_color) = var.canary_weight
  }

  origin_verify_header = "X-Origin-Verify"
  preview_color_header = "X-Bland-Mcp-Color"
  preview_token_header = "X-Bland-Mcp-Preview-Token"
}

################################################################################
# Security group: HTTPS from CloudFront's origin-facing ranges only
################################################################################

data "aws_ec2_managed_prefix_list" "cloudfront" {
  name = "com.amazonaws.global.cloudfront.origin-facing"
}

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "ALB: HTTPS from CloudFront only; forwards to the app port"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-alb" }
}

# The prefix list weighs 55 entries of the default 60 rules per security group:
# this group can hold this one CloudFront rule and nothing like it.
resource "aws_vpc_security_group_ingress_rule" "https_from_cloudfront" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from CloudFront origin-facing servers"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = data.aws_ec2_managed_prefix_list.cloudfront.id
}

data "aws_vpc" "this" {
  id = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "to_app" {
  security_group_id = aws_security_group.alb.id
  description       = "Requests and health checks to the application port"
  ip_protocol       = "tcp"
  from_port         = var.app_port
  to_port           = var.app_port
  cidr_ipv4         = data.aws_vpc.this.cidr_block
}

################################################################################
# Load balancer and certificate
################################################################################

resource "aws_lb" "this" {
  name                       = var.name
  load_balancer_type         = "application"
  internal                   = false
  security_groups            = [aws_security_group.alb.id]
  subnets                    = var.public_subnet_ids
  idle_timeout               = var.idle_timeout
  drop_invalid_header_fields = true
  desync_mitigation_mode     = "strictest"
  enable_deletion_protection = var.deletion_protection

  access_logs {
    bucket  = var.access_logs_bucket
    prefix  = "alb"
    enabled = true
  }
}

resource "aws_acm_certificate" "origin" {
  domain_name       = var.origin_domain_name
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "origin_validation" {
  # Keyed by the (static) domain name so the plan knows how many records there are
  # before the certificate exists.
  for_each = toset([var.origin_domain_name])

  zone_id         = var.hosted_zone_id
  name            = local.origin_validation[each.key].resource_record_name
  type            = local.origin_validation[each.key].resource_record_type
  records         = [local.origin_validation[each.key].resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

locals {
  origin_validation = { for option in aws_acm_certificate.origin.domain_validation_options : option.domain_name => option }
}

resource "aws_acm_certificate_validation" "origin" {
  certificate_arn         = aws_acm_certificate.origin.arn
  validation_record_fqdns = [for record in aws_route53_record.origin_validation : record.fqdn]
}

resource "aws_route53_record" "origin" {
  zone_id = var.hosted_zone_id
  name    = var.origin_domain_name
  type    = "A"

  alias {
    name                   = aws_lb.this.dns_name
    zone_id                = aws_lb.this.zone_id
    evaluate_target_health = false
  }
}

################################################################################
# Target groups: one per colour
################################################################################

resource "aws_lb_target_group" "this" {
  for_each = local.colors

  name                 = "${var.name}-${each.key}"
  port                 = var.app_port
  protocol             = "HTTP"
  vpc_id               = var.vpc_id
  target_type          = "instance"
  deregistration_delay = 30

  health_check {
    path                = var.health_check_path
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = { Color = each.key }
}

################################################################################
# Listeners
################################################################################

# Only CloudFront knows the origin secret, so anything reaching the default action is refused.
resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.origin.certificate_arn

  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "Forbidden"
      status_code  = "403"
    }
  }
}

# Port 80 is not open in the security group (CloudFront talks HTTPS only); the listener
# exists so that the ALB can never serve plaintext even if a rule is opened by mistake.
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener_rule" "traffic" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 100

  condition {
    http_header {
      http_header_name = local.origin_verify_header
      values           = [var.origin_verify_secret]
    }
  }

  action {
    type = "forward"

    forward {
      dynamic "target_group" {
        for_each = local.colors

        content {
          arn    = aws_lb_target_group.this[target_group.key].arn
          weight = local.traffic_weights[target_group.key]
        }
      }

      # The MCP endpoint is stateless, so no client needs to stay on one colour.
      stickiness {
        enabled  = false
        duration = 1
      }
    }
  }
}

# Smoke tests reach one colour before it gets traffic: through CloudFront (which adds the
# origin secret) with the preview token and the colour in two headers.
resource "aws_lb_listener_rule" "preview" {
  for_each = local.colors

  listener_arn = aws_lb_listener.https.arn
  priority     = each.key == "blue" ? 10 : 11

  condition {
    http_header {
      http_header_name = local.origin_verify_header
      values           = [var.origin_verify_secret]
    }
  }

  condition {
    http_header {
      http_header_name = local.preview_token_header
      values           = [var.preview_token]
    }
  }

  condition {
    http_header {
      http_header_name = local.preview_color_header
      values           = [each.key]
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[each.key].arn
  }
}
