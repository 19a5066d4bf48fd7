#!/usr/bin/env bash
# Import throughput and peak memory per format, on generated exports.
# Usage: bench/import_bench.sh [records]   (default 1000000)
# Goal (issue 3): a 1,000,000-row BA export in under 10 s with peak memory under 256 MB.
# Storing only (`--no-match`): matching on import is measured by bench/dedup_bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
scripts/install-deps.sh time
scripts/build.sh >/dev/null
work="${QREG_BENCH_DIR:-build/bench-import}"
rm -rf "$work"
mkdir -p "$work"

echo "generating $n records per format in $work ..."
build/qreg-generate --out "$work/ba" --formats ba --exact-records "$n" --seed 1 --quiet
build/qreg-generate --out "$work/jc" --formats jobcenter --exact-records "$n" --seed 2 --quiet
build/qreg-generate --out "$work/bamf" --formats bamf --exact-records "$n" --seed 3 --quiet

run() {  # label format file
  local db="$work/$1.db"
  rm -f "$db" "$db-wal" "$db-shm"
  # Let the kernel write back what came before (the generated files, the previous run's
  # database) so that its disk writes are not counted against this import.
  sync
  local size
  size=$(stat -c %s "$3")
  /usr/bin/time -f "%e %M" -o "$work/$1.time" build/qreg import --no-match --db "$db" --format "$2" --json "$3" \
    > "$work/$1.json"
  read -r secs kb < "$work/$1.time"
  local received
  received=$(python3 -c "import json,sys; print(json.load(open('$work/$1.json'))['received'])")
  python3 - "$1" "$2" "$size" "$received" "$secs" "$kb" <<'PY'
import sys
label, fmt, size, received, secs, kb = sys.argv[1:]
size, received, secs, kb = int(size), int(received), float(secs), int(kb)
print(f"| {fmt} | {received:,} | {size/1e6:,.0f} MB | {secs:.1f} s | {received/secs:,.0f} records/s "
      f"| {kb/1024:,.0f} MB |")
PY
}

echo
echo "| format | records | file size | wall time | throughput | peak RSS |"
echo "| --- | --- | --- | --- | --- | --- |"
run ba ba-csv-v1 "$work/ba/ba_export.csv"
run jc jobcenter-xml-v1 "$work/jc/jobcenter_export.xml"
run bamf bamf-jsonl-v1 "$work/bamf/bamf_export.jsonl"
