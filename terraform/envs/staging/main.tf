module "stack" {
  source = "../../modules/stack"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  environment     = local.environment
  active_color    = var.active_color
  blue_ami_id     = var.blue_ami_id
  green_ami_id    = var.green_ami_id
  canary_weight   = var.canary_weight
  app_version     = var.app_version
  git_sha         = var.git_sha
  lambda_zip_path = var.lambda_zip_path

  domain_name                = var.domain_name
  hosted_zone_id             = var.hosted_zone_id
  alarm_email                = var.alarm_email
  github_repository          = var.github_repository
  existing_oidc_provider_arn = var.existing_oidc_provider_arn
  state_bucket_name          = var.state_bucket_name
  origin_verify_secret       = var.origin_verify_secret
  preview_token              = var.preview_token

  vpc_cidr                  = var.vpc_cidr
  instance_type             = var.instance_type
  min_size                  = var.min_size
  max_size                  = var.max_size
  monthly_budget_usd        = var.monthly_budget_usd
  waf_rate_limit_per_minute = var.waf_rate_limit_per_minute
  enable_shield_advanced    = var.enable_shield_advanced
  supabase_url              = var.supabase_url
  alb_deletion_protection   = var.alb_deletion_protection
  app_parameters            = var.app_parameters
  recordings_retention_days = var.recordings_retention_days
}
