#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing and we may install it.
# Never downloads a browser build of its own (no `playwright install`).
set -euo pipefail
CHROMIUM=${FRONTDESK_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  exit 0
fi
echo "Chromium not found at $CHROMIUM and it cannot be installed here (need root and apt-get)."
echo "Browser tests will be skipped (and fail under CI=true). Install it: apt-get install chromium"
