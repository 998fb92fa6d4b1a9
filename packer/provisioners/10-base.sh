#!/bin/bash
# Base OS: updates within the Amazon Linux release the source AMI is locked to, and the
# packages the image needs. Idempotent: dnf skips what is installed and current.
set -euo pipefail

dnf -y upgrade
dnf -y install \
  amazon-cloudwatch-agent \
  amazon-ssm-agent \
  awscli-2 \
  jq \
  logrotate \
  tar \
  gzip

# Session Manager replaces SSH for operators.
systemctl enable amazon-ssm-agent.service
systemctl enable logrotate.timer
