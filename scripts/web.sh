#!/usr/bin/env bash
# Builds the web pages (web/) into build/web, where `rubrica serve` finds them: installs the
# npm packages pinned in web/package-lock.json when they changed (npm ci; never a browser:
# the tests drive Debian's /usr/bin/chromium), generates the API types from
# docs/openapi.json, type-checks and bundles. Called by scripts/serve.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/../web"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build >/dev/null
echo "web: built into build/web" >&2
