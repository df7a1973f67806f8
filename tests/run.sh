#!/usr/bin/env bash
# Runs every test on a fresh machine. It first installs what the tests need and nothing else:
# the npm packages (Azurite, ECharts, playwright-core) and Debian's Chromium for the dashboard
# browser test. The Bicep CLI comes with the NuGet restore. Nothing is downloaded while tests run.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/azurite/dist/src/azurite.js ] || [ ! -f node_modules/echarts/dist/echarts.min.js ]; then
  npm ci --no-audit --no-fund
fi

# Chromium for the dashboard test; the CJK font only makes its screenshot legible.
if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

dotnet test HuiminBao.sln -c Release --logger "console;verbosity=minimal" "$@"
