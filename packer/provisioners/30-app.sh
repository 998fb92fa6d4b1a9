#!/bin/bash
# The application: a system user, the release archive under /opt/bland-mcp (owned by root,
# read-only for the service), build facts, and the systemd units. Idempotent: the app
# directory is replaced as a whole, files are installed with fixed modes.
set -euo pipefail

: "${APP_ARCHIVE:?}" "${ROOTFS:?}" "${APP_VERSION:?}" "${GIT_SHA:?}"

readonly app_dir=/opt/bland-mcp
readonly service_user=bland-mcp

if ! id -u "$service_user" >/dev/null 2>&1; then
  useradd --system --user-group --home-dir "$app_dir" --no-create-home --shell /sbin/nologin "$service_user"
fi

staging="$(mktemp -d /opt/bland-mcp.staging.XXXXXX)"
tar -xzf "$APP_ARCHIVE" -C "$staging" --no-same-owner
if [[ ! -f "$staging/dist/main.js" ]]; then
  echo "the archive has no dist/main.js: is it the release archive?" >&2
  exit 1
fi
rm -rf "$app_dir"
mv "$staging" "$app_dir"
chown -R root:root "$app_dir"
chmod -R u=rwX,go=rX "$app_dir"

install -d -m 0755 /etc/bland-mcp
cat >/etc/bland-mcp/build.env <<BUILD
APP_VERSION=${APP_VERSION}
GIT_SHA=${GIT_SHA}
BUILT_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
BUILD
chmod 0644 /etc/bland-mcp/build.env

install -D -m 0755 "$ROOTFS/usr/local/libexec/bland-mcp/render-environment" /usr/local/libexec/bland-mcp/render-environment
install -D -m 0644 "$ROOTFS/etc/systemd/system/bland-mcp-environment.service" /etc/systemd/system/bland-mcp-environment.service
install -D -m 0644 "$ROOTFS/etc/systemd/system/bland-mcp.service" /etc/systemd/system/bland-mcp.service

# stdout/stderr of the service are appended here by systemd and shipped by the CloudWatch agent.
install -d -m 0750 -o root -g root /var/log/bland-mcp

systemctl daemon-reload
systemctl enable bland-mcp.service
