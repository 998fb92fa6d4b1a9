locals {
  app_origin_id    = "app"
  static_origin_id = "static"

  # AWS managed CloudFront policies (fixed, documented ids).
  managed_cache_policy_caching_disabled         = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
  managed_cache_policy_caching_optimized        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  managed_origin_request_all_viewer_except_host = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
  all_methods                                   = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
  read_methods                                  = ["GET", "HEAD"]

  # Paths that must reach the app uncached with every viewer header (Authorization,
  # Mcp-* headers, webhook signatures). The default behaviour does the same; naming them
  # keeps them safe if the default ever changes.
  uncached_app_paths = ["/mcp", "/mcp/*", "/webhooks/*"]
}

################################################################################
# Certificate (us-east-1) and DNS
################################################################################

resource "aws_acm_certificate" "edge" {
  provider = aws.us_east_1

  domain_name       = var.domain_name
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "edge_validation" {
  # Keyed by the (static) domain name so the plan knows how many records there are
  # before the certificate exists.
  for_each = toset([var.domain_name])

  zone_id         = var.hosted_zone_id
  name            = local.edge_validation[each.key].resource_record_name
  type            = local.edge_validation[each.key].resource_record_type
  records         = [local.edge_validation[each.key].resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

locals {
  edge_validation = { for option in aws_acm_certificate.edge.domain_validation_options : option.domain_name => option }
}

resource "aws_acm_certificate_validation" "edge" {
  provider = aws.us_east_1

  certificate_arn         = aws_acm_certificate.edge.arn
  validation_record_fqdns = [for record in aws_route53_record.edge_validation : record.fqdn]
}

resource "aws_route53_record" "alias" {
  for_each = toset(["A", "AAAA"])

  zone_id = var.hosted_zone_id
  name    = var.domain_name
  type    = each.key

  alias {
    name                   = aws_cloudfront_distribution.this.domain_name
    zone_id                = aws_cloudfront_distribution.this.hosted_zone_id
    evaluate_target_health = false
  }
}

################################################################################
# Policies and the console router
################################################################################

resource "aws_cloudfront_origin_access_control" "static" {
  name                              = "${var.name}-static"
  description                       = "CloudFront reads console assets from S3"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_cache_policy" "well_known" {
  name        = "${var.name}-well-known"
  comment     = "OAuth metadata: cached for five minutes"
  min_ttl     = 0
  default_ttl = 300
  max_ttl     = 300

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = true
    enable_accept_encoding_gzip   = true

    cookies_config {
      cookie_behavior = "none"
    }
    headers_config {
      header_behavior = "none"
    }
    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

resource "aws_cloudfront_cache_policy" "console_shell" {
  name        = "${var.name}-console-shell"
  comment     = "Console index.html: short cache so a deploy shows within a minute"
  min_ttl     = 0
  default_ttl = 60
  max_ttl     = 60

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = true
    enable_accept_encoding_gzip   = true

    cookies_config {
      cookie_behavior = "none"
    }
    headers_config {
      header_behavior = "none"
    }
    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

resource "aws_cloudfront_response_headers_policy" "security" {
  name    = "${var.name}-security"
  comment = "HSTS, nosniff, frame denial, referrer policy"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
  }
}

# The console's headers, as the app sends them for /console (src/console-api/console-headers.ts): CloudFront serves
# the console from S3, so the edge must add them. test/infra/policy-edge.test.ts checks the CSP equals the app's.
locals {
  console_connect_src = join(" ", concat(["'self'"], var.supabase_url == "" ? [] : [regex("^https://[^/]+", var.supabase_url)]))
  console_csp         = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${local.console_connect_src}; media-src https:; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'"
}

resource "aws_cloudfront_response_headers_policy" "console" {
  name    = "${var.name}-console"
  comment = "Console: the app's CSP, no-referrer, COOP, plus HSTS, nosniff, frame denial"

  security_headers_config {
    content_security_policy {
      content_security_policy = local.console_csp
      override                = true
    }

    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    # The consent URL carries an authorization id: never leak it in a Referer.
    referrer_policy {
      referrer_policy = "no-referrer"
      override        = true
    }
  }

  custom_headers_config {
    items {
      header   = "Cross-Origin-Opener-Policy"
      value    = "same-origin"
      override = true
    }
  }
}

resource "aws_cloudfront_function" "console_router" {
  name    = "${var.name}-console-router"
  runtime = "cloudfront-js-2.0"
  comment = "Serve the console's index.html for client-side routes"
  publish = true
  code    = file("${path.module}/console-router.js")
}

################################################################################
# Distribution
################################################################################

resource "aws_cloudfront_distribution" "this" {
  enabled         = true
  is_ipv6_enabled = true
  http_version    = "http2and3"
  price_class     = var.price_class
  aliases         = [var.domain_name]
  web_acl_id      = aws_wafv2_web_acl.this.arn
  comment         = var.name

  origin {
    origin_id   = local.app_origin_id
    domain_name = var.origin_domain_name

    custom_origin_config {
      http_port                = 80
      https_port               = 443
      origin_protocol_policy   = "https-only"
      origin_ssl_protocols     = ["TLSv1.2"]
      origin_read_timeout      = var.origin_read_timeout
      origin_keepalive_timeout = 60
    }

    custom_header {
      name  = var.origin_verify_header
      value = var.origin_verify_secret
    }
  }

  origin {
    origin_id                = local.static_origin_id
    domain_name              = var.static_bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.static.id
  }

  default_cache_behavior {
    target_origin_id           = local.app_origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = local.all_methods
    cached_methods             = local.read_methods
    cache_policy_id            = local.managed_cache_policy_caching_disabled
    origin_request_policy_id   = local.managed_origin_request_all_viewer_except_host
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
    compress                   = false
  }

  dynamic "ordered_cache_behavior" {
    for_each = local.uncached_app_paths

    content {
      path_pattern               = ordered_cache_behavior.value
      target_origin_id           = local.app_origin_id
      viewer_protocol_policy     = "https-only"
      allowed_methods            = local.all_methods
      cached_methods             = local.read_methods
      cache_policy_id            = local.managed_cache_policy_caching_disabled
      origin_request_policy_id   = local.managed_origin_request_all_viewer_except_host
      response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
      compress                   = false # never buffer an SSE stream for compression
    }
  }

  ordered_cache_behavior {
    path_pattern               = "/.well-known/*"
    target_origin_id           = local.app_origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = local.read_methods
    cache_policy_id            = aws_cloudfront_cache_policy.well_known.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
    compress                   = true
  }

  # Hashed file names: cached for a year (managed CachingOptimized policy).
  ordered_cache_behavior {
    path_pattern               = "/console/assets/*"
    target_origin_id           = local.static_origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = local.read_methods
    cached_methods             = local.read_methods
    cache_policy_id            = local.managed_cache_policy_caching_optimized
    response_headers_policy_id = aws_cloudfront_response_headers_policy.console.id
    compress                   = true
  }

  ordered_cache_behavior {
    path_pattern               = "/console/*"
    target_origin_id           = local.static_origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = local.read_methods
    cached_methods             = local.read_methods
    cache_policy_id            = aws_cloudfront_cache_policy.console_shell.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.console.id
    compress                   = true

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.console_router.arn
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate_validation.edge.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}

resource "aws_shield_protection" "distribution" {
  count    = var.enable_shield_advanced ? 1 : 0
  provider = aws.us_east_1

  name         = "${var.name}-cloudfront"
  resource_arn = aws_cloudfront_distribution.this.arn
}
