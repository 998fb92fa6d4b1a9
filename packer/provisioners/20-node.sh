#!/bin/bash
# Node.js from the Amazon Linux repositories (GPG-verified by dnf, patched by Amazon).
# The namespaced binary /usr/bin/node-<major> is what the service runs, so an `alternatives`
# switch can never change the runtime under it.
set -euo pipefail

: "${NODE_MAJOR:?NODE_MAJOR must be set}"

dnf -y install "nodejs${NODE_MAJOR}"
alternatives --set node "/usr/bin/node-${NODE_MAJOR}"

installed="$("/usr/bin/node-${NODE_MAJOR}" --version)"
case "$installed" in
  "v${NODE_MAJOR}."*) echo "Node.js ${installed}" ;;
  *) echo "expected Node.js ${NODE_MAJOR}, found ${installed}" >&2; exit 1 ;;
esac
