#!/bin/bash
# Leaves nothing of the build in the image: no uploaded files, no SSH access, no logs or
# cloud-init state from the build instance. Idempotent.
set -euo pipefail

rm -rf /tmp/rootfs /tmp/bland-mcp-app.tar.gz
dnf clean all
rm -rf /var/cache/dnf

# Operators use Session Manager; the image boots without an SSH daemon or any key.
systemctl disable sshd.service
rm -f /home/ec2-user/.ssh/authorized_keys /root/.ssh/authorized_keys

cloud-init clean --logs
find /var/log -type f -name '*.gz' -delete
find /var/log -type f -name '*.log' -exec truncate -s 0 {} +
journalctl --rotate
journalctl --vacuum-time=1s
rm -f /root/.bash_history /home/ec2-user/.bash_history
