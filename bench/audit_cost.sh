#!/usr/bin/env bash
# CPU per audited profile read (issue 7), without HTTP, TLS or wrk: the spool append on the
# request thread and the fold into the log, on a log that already holds PREFILL entries.
# Usage: bench/audit_cost.sh [prefill]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
prefill="${1:-1000000}"
scripts/build.sh > /dev/null
cmake --build build --target qreg-bench-audit-cost -j"$(nproc)" > /dev/null
work="$(mktemp -d "${TMPDIR:-/tmp}/qreg-audit-cost.XXXXXX")"
trap 'rm -rf "$work"' EXIT
build/qreg-bench-audit-cost --db "$work/registry.db" --prefill "$prefill"
