#!/usr/bin/env bash
# Installs the Debian packages whose programs the tests start as real peers. Idempotent: does
# nothing when every program is present. Needs root (or sudo) and a reachable Debian mirror.
set -euo pipefail
packages=(openssl prometheus prometheus-pushgateway prometheus-alertmanager prometheus-node-exporter
          victoria-metrics restic chromium chromium-driver)
programs=(openssl prometheus promtool prometheus-pushgateway prometheus-alertmanager prometheus-node-exporter
          victoria-metrics restic chromium chromedriver)
missing=0
for p in "${programs[@]}"; do
  command -v "$p" >/dev/null 2>&1 || missing=1
done
[ "$missing" = 0 ] && exit 0

sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-test-deps: need root or sudo to apt-get install ${packages[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-test-deps: installing ${packages[*]}" >&2
$sudo apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${packages[@]}" >&2
for p in "${programs[@]}"; do
  command -v "$p" >/dev/null 2>&1 || { echo "install-test-deps: $p still missing after install" >&2; exit 1; }
done
