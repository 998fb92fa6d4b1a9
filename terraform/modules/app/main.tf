data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  colors = toset(["blue", "green"])

  parameter_path = "/bland-mcp/${var.environment}/app"
  log_group_name = "/bland-mcp/${var.environment}/app"

  # Written by cloud-init; the image's boot scripts read it to find their parameters and log group.
  # It carries no secrets: those stay in Parameter Store until the instance fetches them.
  user_data = {
    for color in local.colors : color => base64encode(join("\n", [
      "#cloud-config",
      yamlencode({
        write_files = [{
          path        = "/etc/bland-mcp/deployment.env"
          permissions = "0644"
          content = join("\n", [
            "DEPLOY_ENV=${var.environment}",
            "DEPLOY_COLOR=${color}",
            "AWS_REGION=${data.aws_region.current.name}",
            "APP_PARAMETER_PATH=${local.parameter_path}",
            "APP_LOG_GROUP=${local.log_group_name}",
            "",
          ])
        }]
      }),
    ]))
  }
}

################################################################################
# Instance security group: app port from the ALB only, no SSH
################################################################################

resource "aws_security_group" "instance" {
  name        = "${var.name}-app"
  description = "App instances: app port from the ALB only; HTTPS and Postgres out"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-app" }
}

resource "aws_vpc_security_group_ingress_rule" "app_from_alb" {
  security_group_id            = aws_security_group.instance.id
  description                  = "Requests and health checks from the ALB"
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
  referenced_security_group_id = var.alb_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.instance.id
  description       = "HTTPS to Bland, Google, Supabase and AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "database" {
  for_each = toset([for port in var.database_ports : tostring(port)])

  security_group_id = aws_security_group.instance.id
  description       = "Postgres (Supabase) on ${each.value}"
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
  cidr_ipv4         = "0.0.0.0/0"
}

################################################################################
# Launch templates and Auto Scaling groups: one of each per colour
################################################################################

resource "aws_launch_template" "app" {
  for_each = local.colors

  name_prefix            = "${var.name}-${each.key}-"
  description            = "bland-mcp ${var.environment} ${each.key}"
  image_id               = var.ami_ids[each.key]
  instance_type          = var.instance_type
  vpc_security_group_ids = [aws_security_group.instance.id]
  user_data              = local.user_data[each.key]
  update_default_version = true

  iam_instance_profile {
    arn = aws_iam_instance_profile.app.arn
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_type           = "gp3"
      volume_size           = 16
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "${var.name}-${each.key}", Color = each.key }
  }

  tag_specifications {
    resource_type = "volume"
    tags          = { Name = "${var.name}-${each.key}", Color = each.key }
  }
}

# A new launch template version (new AMI, new user data) gets a new group: Terraform creates it,
# waits until its instances pass the target group health check, then deletes the old group.
# The pipeline only ever changes the inactive colour, so live traffic never sees the swap.
resource "aws_autoscaling_group" "app" {
  for_each = local.colors

  name                      = "${var.name}-${each.key}-v${aws_launch_template.app[each.key].latest_version}"
  min_size                  = var.min_size
  max_size                  = var.max_size
  vpc_zone_identifier       = var.private_subnet_ids
  target_group_arns         = [var.target_group_arns[each.key]]
  health_check_type         = "ELB"
  health_check_grace_period = 120
  wait_for_elb_capacity     = var.min_size
  wait_for_capacity_timeout = "15m"
  default_instance_warmup   = 120
  enabled_metrics           = ["GroupInServiceInstances", "GroupDesiredCapacity", "GroupTotalInstances"]

  launch_template {
    id      = aws_launch_template.app[each.key].id
    version = aws_launch_template.app[each.key].latest_version
  }

  # Replacing an unhealthy instance launches the new one first.
  instance_maintenance_policy {
    min_healthy_percentage = 100
    max_healthy_percentage = 200
  }

  tag {
    key                 = "Color"
    value               = each.key
    propagate_at_launch = true
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_autoscaling_policy" "cpu" {
  for_each = local.colors

  name                   = "${var.name}-${each.key}-cpu"
  autoscaling_group_name = aws_autoscaling_group.app[each.key].name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    target_value = var.cpu_target_percent

    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
  }
}

################################################################################
# Logs and settings
################################################################################

resource "aws_cloudwatch_log_group" "app" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
}

locals {
  default_parameters = {
    HOST                  = "0.0.0.0"
    PORT                  = tostring(var.app_port)
    NODE_ENV              = "production"
    PUBLIC_URL            = var.public_url
    DATA_DIR              = "/var/lib/bland-mcp"
    LOG_LEVEL             = "info"
    TRUST_PROXY_HOPS      = "2"
    RATE_LIMIT_PER_MINUTE = "100"
    POLLER_MODE           = "lambda"
    AWS_REGION            = data.aws_region.current.name
    RECORDINGS_BUCKET     = var.recordings_bucket.id
    METRICS_NAMESPACE     = var.metric_namespaces[0]
    METRICS_ENVIRONMENT   = var.environment
  }
}

resource "aws_ssm_parameter" "app" {
  for_each = merge(local.default_parameters, var.app_parameters)

  name        = "${local.parameter_path}/${each.key}"
  description = "bland-mcp ${var.environment}: ${each.key} (managed by Terraform)"
  type        = "String"
  value       = each.value
}

# Written by the deploy scripts (active colour, AMI per colour, previous AMI, git sha, time).
resource "aws_ssm_parameter" "deploy_state" {
  name        = "/bland-mcp/${var.environment}/deploy/state"
  description = "bland-mcp ${var.environment}: last deploy outcome, written by scripts/deploy"
  type        = "String"
  value       = jsonencode({})

  lifecycle {
    ignore_changes = [value]
  }
}
