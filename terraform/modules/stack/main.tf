# The whole bland-mcp environment. envs/<env> roots call this once with their settings,
# so staging and production cannot drift apart in shape, only in size.

locals {
  name               = "bland-mcp-${var.environment}"
  origin_domain_name = "origin.${var.domain_name}"
  public_url         = "https://${var.domain_name}"
}

module "network" {
  source = "../network"

  name                 = local.name
  cidr_block           = var.vpc_cidr
  flow_logs_bucket_arn = module.storage.logs_bucket.arn
}

module "storage" {
  source = "../storage"

  name                        = local.name
  app_origin                  = local.public_url
  cloudfront_distribution_arn = module.edge.distribution_arn
  recordings_retention_days   = var.recordings_retention_days
}

module "alb" {
  source = "../alb"

  name                 = local.name
  vpc_id               = module.network.vpc_id
  public_subnet_ids    = module.network.public_subnet_ids
  origin_domain_name   = local.origin_domain_name
  hosted_zone_id       = var.hosted_zone_id
  access_logs_bucket   = module.storage.logs_bucket.id
  deletion_protection  = var.alb_deletion_protection
  active_color         = var.active_color
  canary_weight        = var.canary_weight
  origin_verify_secret = var.origin_verify_secret
  preview_token        = var.preview_token
}

module "app" {
  source = "../app"

  name                  = local.name
  environment           = var.environment
  vpc_id                = module.network.vpc_id
  private_subnet_ids    = module.network.private_subnet_ids
  alb_security_group_id = module.alb.security_group_id
  target_group_arns     = module.alb.target_group_arns
  ami_ids               = { blue = var.blue_ami_id, green = var.green_ami_id }
  instance_type         = var.instance_type
  min_size              = var.min_size
  max_size              = var.max_size
  public_url            = local.public_url
  recordings_bucket     = module.storage.recordings_bucket
  app_parameters        = var.app_parameters
}

module "edge" {
  source = "../edge"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name                               = local.name
  domain_name                        = var.domain_name
  hosted_zone_id                     = var.hosted_zone_id
  origin_domain_name                 = local.origin_domain_name
  origin_verify_header               = module.alb.origin_verify_header
  origin_verify_secret               = var.origin_verify_secret
  preview_token_header               = module.alb.preview_headers.token
  static_bucket_regional_domain_name = module.storage.static_bucket.regional_domain_name
  waf_rate_limit_per_minute          = var.waf_rate_limit_per_minute
  enable_shield_advanced             = var.enable_shield_advanced
  supabase_url                       = var.supabase_url
}

module "poller" {
  source = "../poller"

  name            = local.name
  environment     = var.environment
  lambda_zip_path = var.lambda_zip_path
  parameter_path  = module.app.parameter_path
  release         = { app_version = var.app_version, git_sha = var.git_sha }
}

module "observability" {
  source = "../observability"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name                      = local.name
  environment               = var.environment
  alarm_email               = var.alarm_email
  domain_name               = var.domain_name
  alb_arn_suffix            = module.alb.alb_arn_suffix
  target_group_arn_suffixes = module.alb.target_group_arn_suffixes
  distribution_id           = module.edge.distribution_id
  poller_function_name      = module.poller.function_name
  poller_failure_queue_name = module.poller.failure_queue_name
  monthly_budget_usd        = var.monthly_budget_usd
}

module "github_oidc" {
  source = "../github-oidc"

  name                       = local.name
  environment                = var.environment
  github_repository          = var.github_repository
  existing_oidc_provider_arn = var.existing_oidc_provider_arn
  state_bucket_name          = var.state_bucket_name
  state_key_prefix           = "bland-mcp/${var.environment}/"
  hosted_zone_id             = var.hosted_zone_id
}
