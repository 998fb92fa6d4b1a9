################################################################################
# NAT instance
#
# The instances need outbound HTTPS (Bland, Supabase, Google, SSM, CloudWatch).
# A managed NAT gateway costs ~$33/month before traffic, more than the rest of the
# stack's compute; a t4g.nano NAT instance costs ~$3 plus its public IPv4 address.
# Its failure modes are covered by EC2 automatic recovery (host failure) and a
# reboot alarm (guest failure); docs/infrastructure.md explains the trade-off.
################################################################################

data "aws_ssm_parameter" "al2023_arm64" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
}

resource "aws_security_group" "nat" {
  name        = "${var.name}-nat"
  description = "NAT instance: forwards traffic from the private subnets only"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name}-nat" }
}

locals {
  nat_ingress = {
    for pair in setproduct(local.private_subnet_cidrs, var.nat_forwarded_ports) :
    "${pair[0]}-${pair[1]}" => { cidr = pair[0], port = pair[1] }
  }
}

# Only what the instances need outside the VPC: HTTPS and Postgres. DNS and time come from
# the VPC resolver and Amazon Time Sync, which do not cross the NAT.
resource "aws_vpc_security_group_ingress_rule" "nat_from_private" {
  for_each = local.nat_ingress

  security_group_id = aws_security_group.nat.id
  description       = "TCP ${each.value.port} from private subnet ${each.value.cidr}"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr
}

resource "aws_vpc_security_group_egress_rule" "nat_to_internet" {
  security_group_id = aws_security_group.nat.id
  description       = "Forwarded traffic to the internet"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_instance" "nat" {
  ami                         = data.aws_ssm_parameter.al2023_arm64.insecure_value
  instance_type               = var.nat_instance_type
  subnet_id                   = aws_subnet.public[0].id
  vpc_security_group_ids      = [aws_security_group.nat.id]
  associate_public_ip_address = true
  source_dest_check           = false
  user_data                   = file("${path.module}/nat-user-data.sh")
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  maintenance_options {
    auto_recovery = "default"
  }

  root_block_device {
    encrypted   = true
    volume_type = "gp3"
    volume_size = 8
  }

  # A newer AL2023 AMI must not silently replace the only NAT (an egress outage);
  # patch it deliberately with `terraform apply -replace=...aws_instance.nat`.
  lifecycle {
    ignore_changes = [ami]
  }

  tags = { Name = "${var.name}-nat" }
}

# Host failures are handled by automatic recovery; a hung guest is rebooted.
resource "aws_cloudwatch_metric_alarm" "nat_instance_check" {
  alarm_name          = "${var.name}-nat-instance-status"
  alarm_description   = "NAT instance failed its instance status check: reboot it."
  namespace           = "AWS/EC2"
  metric_name         = "StatusCheckFailed_Instance"
  dimensions          = { InstanceId = aws_instance.nat.id }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  alarm_actions       = ["arn:aws:automate:${data.aws_region.current.name}:ec2:reboot"]
}
