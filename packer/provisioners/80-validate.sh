#!/bin/bash
# Fails the build (no AMI is registered) when the image is not what the instances expect.
set -euo pipefail

: "${NODE_MAJOR:?}"

fail() { echo "validation failed: $*" >&2; exit 1; }

"/usr/bin/node-${NODE_MAJOR}" --version | grep -q "^v${NODE_MAJOR}\." || fail "Node.js ${NODE_MAJOR} missing"
[[ -f /opt/bland-mcp/dist/main.js ]] || fail "/opt/bland-mcp/dist/main.js missing"
[[ -d /opt/bland-mcp/node_modules ]] || fail "production node_modules missing"
[[ "$(stat -c %U /opt/bland-mcp/dist/main.js)" == root ]] || fail "application files must be owned by root"
[[ "$(getent passwd bland-mcp | cut -d: -f7)" == /sbin/nologin ]] || fail "service user must not have a login shell"
[[ -s /etc/bland-mcp/build.env ]] || fail "build facts missing"

systemd-analyze verify \
  /etc/systemd/system/bland-mcp.service \
  /etc/systemd/system/bland-mcp-environment.service \
  /etc/systemd/system/bland-mcp-cloudwatch-agent.service

for unit in bland-mcp.service bland-mcp-cloudwatch-agent.service amazon-ssm-agent.service; do
  systemctl is-enabled --quiet "$unit" || fail "$unit is not enabled"
done

command -v aws >/dev/null || fail "AWS CLI missing (the boot script needs it)"
command -v jq >/dev/null || fail "jq missing (the boot script needs it)"
[[ -x /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl ]] || fail "CloudWatch agent missing"

echo "image validated"
