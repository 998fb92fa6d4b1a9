# The bucket policy as the real provider renders it (fake credentials, plan only).

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake-secret-key-for-offline-plans"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

variables {
  bucket_name = "bland-mcp-test-recordings"
  extra_policy_statements = jsonencode([{
    Sid       = "Extra"
    Effect    = "Allow"
    Principal = { Service = "cloudfront.amazonaws.com" }
    Action    = "s3:GetObject"
    Resource  = "arn:aws:s3:::bland-mcp-test-recordings/console/*"
  }])
}

run "policy_denies_plain_http_and_old_tls" {
  command = plan

  assert {
    condition = anytrue([
      for statement in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      statement.Effect == "Deny"
      && statement.Principal == "*"
      && statement.Action == "s3:*"
      && try(statement.Condition.Bool["aws:SecureTransport"], "") == "false"
      && toset(flatten([statement.Resource])) == toset(["arn:aws:s3:::bland-mcp-test-recordings", "arn:aws:s3:::bland-mcp-test-recordings/*"])
    ])
    error_message = "The policy must deny every request without TLS on the bucket and its objects."
  }

  assert {
    condition = anytrue([
      for statement in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      statement.Effect == "Deny" && try(statement.Condition.NumericLessThan["s3:TlsVersion"], "") == "1.2"
    ])
    error_message = "The policy must deny TLS versions below 1.2."
  }

  assert {
    condition     = contains([for statement in jsondecode(aws_s3_bucket_policy.this.policy).Statement : statement.Sid], "Extra")
    error_message = "Extra statements must be merged into the policy, not replace it."
  }
}

run "hardening_is_always_on" {
  command = plan

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "All four public access blocks must be on."
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "Versioning must be enabled."
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled (BucketOwnerEnforced)."
  }
}

run "wildcard_cors_origin_is_rejected" {
  command = plan

  variables {
    cors_allowed_origins = ["*"]
  }

  expect_failures = [var.cors_allowed_origins]
}
