#!/bin/bash
# Turns a stock Amazon Linux 2023 instance into a NAT for the private subnets.
# Idempotent: safe to re-run on every boot.
set -euo pipefail

dnf install -y iptables-services

cat >/etc/sysctl.d/90-nat.conf <<'SYSCTL'
net.ipv4.ip_forward = 1
SYSCTL
sysctl --system

egress_interface="$(ip -4 route show default | awk '{print $5; exit}')"
iptables -t nat -C POSTROUTING -o "$egress_interface" -j MASQUERADE 2>/dev/null \
  || iptables -t nat -A POSTROUTING -o "$egress_interface" -j MASQUERADE
iptables -F FORWARD
service iptables save
systemctl enable --now iptables
