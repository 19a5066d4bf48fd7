#!/usr/bin/env bash
# Time of `qreg audit verify` on a log of N entries (issue 7), plus checkpoint and proofs.
# Usage: bench/audit_verify_bench.sh [entries]   (default 10000000)
# Appends the entries with build/qreg-audit-fill (100,000 per transaction and head signature),
# then times each command once with /usr/bin/time. Needs ~550 bytes per entry on disk.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000000}"
scripts/install-deps.sh time
scripts/build.sh >/dev/null
work="${QREG_BENCH_DIR:-build/bench-audit}"
rm -rf "$work"
mkdir -p "$work"
db="$work/audit.db"

timed() {  # label command...
  local label="$1"
  shift
  /usr/bin/time -f "%e %U %M" -o "$work/time" "$@" > "$work/out"
  read -r secs user kb < "$work/time"
  printf '| %s | %.1f s | %.1f s | %.0f MB |\n' "$label" "$secs" "$user" "$((kb / 1024))"
}

echo "| step ($n entries) | wall | user CPU | peak RSS |"
echo "| --- | --- | --- | --- |"
timed "append (qreg-audit-fill)" build/qreg-audit-fill --db "$db" --entries "$n"
timed "qreg audit checkpoint" build/qreg audit checkpoint --db "$db"
timed "qreg audit verify" build/qreg audit verify --db "$db"
verified=$(head -1 "$work/out")
timed "qreg audit proof --entry $((n / 3))" build/qreg audit proof --db "$db" --entry "$((n / 3))"
timed "qreg audit consistency --from $((n / 2))" build/qreg audit consistency --db "$db" --from "$((n / 2))"
echo
echo "verify said: $verified"
echo "database: $(du -h "$db" | cut -f1)"
