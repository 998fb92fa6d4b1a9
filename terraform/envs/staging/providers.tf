locals {
  default_tags = {
    Project     = "bland-mcp"
    Environment = local.environment
    ManagedBy   = "terraform"
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.default_tags
  }
}

# CloudFront certificates, CLOUDFRONT-scope WAF, and alarms on CloudFront and Route 53
# health-check metrics exist only in us-east-1.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = local.default_tags
  }
}
