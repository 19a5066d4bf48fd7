#!/usr/bin/env bash
# The web page's end-to-end tests: install what is missing (Debian's Chromium, Node.js and npm,
# playwright-core from package-lock.json), then run the tests against QREG_BINARY.
# Usage: tests/web/run.sh [path/to/qreg]   (default: build/qreg)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export QREG_BINARY="$(realpath "${1:-$repo/build/qreg}")"
export QREG_SHARED_DIR="${QREG_SHARED_DIR:-$repo/../shared}"

"$repo/scripts/install-deps.sh" chromium nodejs npm
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  { echo "tests/web needs Node.js 20 or later (playwright-core); found $(node --version)" >&2; exit 1; }
cd "$here"
# playwright-core, pinned by package-lock.json, never downloads a browser: the test starts
# /usr/bin/chromium. npm ci only when node_modules does not hold the pinned version.
wanted=$(node -p 'require("./package-lock.json").packages["node_modules/playwright-core"].version')
have=$(node -p 'require("./node_modules/playwright-core/package.json").version' 2>/dev/null || true)
if [ "$wanted" != "$have" ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec node --test --test-concurrency=1 caseworker.test.mjs officer.test.mjs
