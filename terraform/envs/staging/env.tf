# The only hand-written difference between environment roots (besides terraform.tfvars).
locals {
  environment = "staging"
}

# Partial configuration: bucket and region come from `terraform init -backend-config=...`
# so no account-specific names live in git. See docs/infrastructure.md (bootstrap).
terraform {
  backend "s3" {
    key          = "bland-mcp/staging/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}
