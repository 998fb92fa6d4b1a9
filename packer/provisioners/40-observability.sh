#!/bin/bash
# Logs and metrics: journald limits, rotation of the app log, and the CloudWatch agent
# (configured at boot, when the environment's log group is known). Idempotent.
set -euo pipefail

: "${ROOTFS:?}"

install -D -m 0644 "$ROOTFS/etc/systemd/journald.conf.d/50-bland-mcp.conf" /etc/systemd/journald.conf.d/50-bland-mcp.conf
install -D -m 0644 "$ROOTFS/etc/logrotate.d/bland-mcp" /etc/logrotate.d/bland-mcp
install -D -m 0644 "$ROOTFS/etc/bland-mcp/amazon-cloudwatch-agent.json.tpl" /etc/bland-mcp/amazon-cloudwatch-agent.json.tpl
install -D -m 0755 "$ROOTFS/usr/local/libexec/bland-mcp/configure-cloudwatch-agent" /usr/local/libexec/bland-mcp/configure-cloudwatch-agent
install -D -m 0644 "$ROOTFS/etc/systemd/system/bland-mcp-cloudwatch-agent.service" /etc/systemd/system/bland-mcp-cloudwatch-agent.service

systemctl daemon-reload
systemctl enable bland-mcp-cloudwatch-agent.service
