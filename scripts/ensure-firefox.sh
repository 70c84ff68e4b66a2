#!/usr/bin/env bash
# The Firefox browser test (test/e2e/firefox.test.ts) drives Debian's firefox-esr over WebDriver BiDi.
# Installs it when missing and we are root; otherwise says what to do.
set -euo pipefail
if command -v firefox-esr >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "Firefox ESR is missing: install Debian's 'firefox-esr' package (sudo apt-get install -y firefox-esr) for the Firefox browser test." >&2
  exit 1
fi
echo "Installing Debian firefox-esr for the Firefox browser test..." >&2
export DEBIAN_FRONTEND=noninteractive
# ensure-chromium.sh has usually just refreshed the package lists: refresh again only when that is not enough.
apt-get install -y -qq firefox-esr >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq firefox-esr >/dev/null; }
command -v firefox-esr >/dev/null
