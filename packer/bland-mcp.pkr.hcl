packer {
  # 1.14: plugins are installed from releases.hashicorp.com.
  required_version = ">= 1.14.0"

  required_plugins {
    amazon = {
      source  = "github.com/hashicorp/amazon"
      version = "= 1.8.0"
    }
  }
}

locals {
  build_time = formatdate("YYYYMMDDhhmmss", timestamp())
  short_sha  = substr(var.git_sha, 0, 12)
  ami_name   = "bland-mcp-${var.app_version}-${local.short_sha}-${local.build_time}"

  tags = {
    Name        = local.ami_name
    Project     = "bland-mcp"
    AppVersion  = var.app_version
    GitSha      = var.git_sha
    BuiltBy     = "packer"
    SourceAMI   = "{{ .SourceAMI }}"
    SourceImage = "{{ .SourceAMIName }}"
  }
}

# Latest Amazon Linux 2023 (arm64) published by Amazon itself; the owner pin keeps a
# look-alike community image from ever matching.
source "amazon-ebs" "app" {
  region        = var.region
  instance_type = var.instance_type
  ssh_username  = "ec2-user"

  source_ami_filter {
    filters = {
      name                = "al2023-ami-2023.*-kernel-6.1-arm64"
      architecture        = "arm64"
      virtualization-type = "hvm"
      root-device-type    = "ebs"
    }
    owners      = ["amazon"]
    most_recent = true
  }

  # The build instance is reachable over SSH only from the runner's address, with a
  # throw-away key pair Packer creates and deletes; nothing is kept in the image.
  temporary_security_group_source_public_ip = true
  associate_public_ip_address               = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  # Instances launched from the AMI default to IMDSv2 only.
  imds_support = "v2.0"

  encrypt_boot = true

  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = 8
    volume_type           = "gp3"
    encrypted             = true
    delete_on_termination = true
  }

  ami_name        = local.ami_name
  ami_description = "bland-mcp ${var.app_version} (${var.git_sha}) on Amazon Linux 2023 arm64"
  tags            = local.tags
  snapshot_tags   = local.tags
  run_tags        = { Name = "packer-${local.ami_name}", Project = "bland-mcp" }
}

build {
  sources = ["source.amazon-ebs.app"]

  provisioner "file" {
    source      = var.app_archive
    destination = "/tmp/bland-mcp-app.tar.gz"
  }

  # Without a trailing slash the directory itself is uploaded: /tmp/rootfs.
  provisioner "file" {
    source      = "${path.root}/rootfs"
    destination = "/tmp"
  }

  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    environment_vars = [
      "APP_VERSION=${var.app_version}",
      "GIT_SHA=${var.git_sha}",
      "NODE_MAJOR=${var.node_major}",
      "APP_ARCHIVE=/tmp/bland-mcp-app.tar.gz",
      "ROOTFS=/tmp/rootfs",
    ]
    scripts = [
      "${path.root}/provisioners/10-base.sh",
      "${path.root}/provisioners/20-node.sh",
      "${path.root}/provisioners/30-app.sh",
      "${path.root}/provisioners/40-observability.sh",
      "${path.root}/provisioners/80-validate.sh",
      "${path.root}/provisioners/90-cleanup.sh",
    ]
  }

  # The pipeline reads the AMI id from here: builds[-1].artifact_id = "<region>:<ami-id>".
  post-processor "manifest" {
    output     = "${path.root}/manifest.json"
    strip_path = true
    custom_data = {
      app_version = var.app_version
      git_sha     = var.git_sha
    }
  }
}
