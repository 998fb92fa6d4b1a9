# The application instances' role, rendered by the real provider (fake credentials,
# plan only): what an instance may touch, and the launch template hardening.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake-secret-key-for-offline-plans"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

variables {
  name                  = "bland-mcp-production"
  environment           = "production"
  vpc_id                = "vpc-0123456789abcdef0"
  private_subnet_ids    = ["subnet-0000000000000000a", "subnet-0000000000000000b"]
  alb_security_group_id = "sg-0123456789abcdef0"
  target_group_arns = {
    blue  = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0000000000000001"
    green = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/0000000000000002"
  }
  ami_ids           = { blue = "ami-0123456789abcdef0", green = "ami-0fedcba9876543210" }
  public_url        = "https://mcp.example.com"
  recordings_bucket = { id = "bland-mcp-production-123456789012-recordings", arn = "arn:aws:s3:::bland-mcp-production-123456789012-recordings" }
}

run "instance_role_is_least_privilege" {
  command = plan

  # Only actions without resource-level permissions may use "*", and metrics only with a namespace condition.
  assert {
    condition = alltrue([
      for statement in jsondecode(output.instance_policy_json).Statement :
      contains(["PublishOwnMetrics", "SessionManager"], statement.Sid)
      if contains(flatten([statement.Resource]), "*")
    ])
    error_message = "Only PutMetricData and the Session Manager channel actions may use Resource \"*\"."
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.instance_policy_json).Statement : statement.Condition.StringEquals["cloudwatch:namespace"]
      if statement.Sid == "PublishOwnMetrics"
    ])) == toset(["BlandMcp/App", "BlandMcp/Host"])
    error_message = "PutMetricData must be limited to the app's namespaces."
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.instance_policy_json).Statement : statement.Resource
      if statement.Sid == "ReadOwnSettings"
    ])) == toset(["arn:aws:ssm:us-east-1:123456789012:parameter/bland-mcp/production/app", "arn:aws:ssm:us-east-1:123456789012:parameter/bland-mcp/production/app/*"])
    error_message = "Instances may read only their own environment's parameters."
  }

  assert {
    condition = flatten([
      for statement in jsondecode(output.instance_policy_json).Statement : statement.Resource
      if statement.Sid == "RecordingsObjects"
    ]) == ["arn:aws:s3:::bland-mcp-production-123456789012-recordings/recordings/*"]
    error_message = "Instances may read and write only under recordings/ in the recordings bucket."
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(output.instance_policy_json).Statement :
      statement.Condition.StringEquals["kms:ViaService"] == "ssm.us-east-1.amazonaws.com"
      if contains(flatten([statement.Action]), "kms:Decrypt")
    ])
    error_message = "kms:Decrypt must only work through SSM."
  }

  assert {
    condition     = !strcontains(output.instance_policy_json, "ssm:*") && !strcontains(output.instance_policy_json, "s3:*")
    error_message = "No service-wide wildcards on the instance role."
  }
}

run "launch_templates_are_hardened" {
  command = plan

  assert {
    condition = alltrue([
      for color, template in aws_launch_template.app :
      template.metadata_options[0].http_tokens == "required" && template.metadata_options[0].http_put_response_hop_limit == 1
    ])
    error_message = "IMDSv2 with hop limit 1 is required on both colours."
  }

  assert {
    condition     = alltrue([for color, template in aws_launch_template.app : template.block_device_mappings[0].ebs[0].encrypted == "true"])
    error_message = "Root volumes must be encrypted."
  }

  assert {
    condition     = alltrue([for color, template in aws_launch_template.app : strcontains(base64decode(template.user_data), "DEPLOY_COLOR=${color}")])
    error_message = "Each colour's user data must name its colour."
  }

  assert {
    condition     = aws_ssm_parameter.app["HOST"].value == "0.0.0.0" && aws_ssm_parameter.app["TRUST_PROXY_HOPS"].value == "2"
    error_message = "The app must listen on all interfaces and trust CloudFront + ALB (2 hops)."
  }
}
