# The only hand-written difference between environment roots (besides terraform.tfvars).
locals {
  environment = "production"
}

# Partial configuration: bucket and region come from `terraform init -backend-config=...`
# so no account-specific names live in git. See docs/infrastructure.md (bootstrap).
terraform {
  backend "s3" {
    key          = "bland-mcp/production/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}
