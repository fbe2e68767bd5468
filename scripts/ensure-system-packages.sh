#!/usr/bin/env bash
# Installs the Debian packages the tests use when they are missing and we may install them:
# Chromium for browser tests (never a downloaded browser build: no `playwright install`),
# espeak-ng and sox to make speech for the voice-note tests, docker-compose to check
# compose.yaml (no Docker engine needed).
set -euo pipefail
CHROMIUM=${FRONTDESK_CHROMIUM:-/usr/bin/chromium}
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium fonts-dejavu-core)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
command -v sox >/dev/null 2>&1 || missing+=(sox)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)  # tests/test_deployment.py
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Installing Debian packages for the tests: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "Missing for some tests: ${missing[*]} (cannot install here: need root and apt-get)."
echo "Those tests will be skipped (and fail under CI=true)."
