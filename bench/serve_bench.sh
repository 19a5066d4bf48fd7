#!/usr/bin/env bash
# Requests per second and p99 latency of `qreg serve` over TLS with wrk on the same machine:
# profile and search requests at 32 and 64 connections, beside a bare server (qreg's Beast
# transport with a constant answer) measured in the same run.
# Usage: bench/serve_bench.sh [people]   (default 1000000; about 2 records per person)
# Environment: QREG_BENCH_DEDUP=1 links the records first (slow at 1M people); otherwise each
# record is its own person, which does not change the cost of a profile request much.
# QREG_BENCH_THREADS sets qreg serve --threads (default 2).
# QREG_BENCH_PREPARE_ONLY=1 only generates and imports (kept for later runs in QREG_BENCH_DIR).
# QREG_BENCH_DIR (default build/bench-serve) keeps the registry between runs, with the audit
# entries of every run's reads; a new directory starts from an empty log.
# Goal (issue 5): over 10,000 profile requests per second with p99 under 10 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
people="${1:-1000000}"
duration="${QREG_BENCH_SECONDS:-20}"
threads="${QREG_BENCH_THREADS:-2}"  # qreg serve --threads
scripts/install-deps.sh wrk sqlite3
scripts/build.sh >/dev/null
cmake --build build --target qreg-bench-noaudit -j"$(nproc)" >/dev/null
work="${QREG_BENCH_DIR:-build/bench-serve}"
db="$work/registry.db"
mkdir -p "$work"

if [ ! -f "$work/ready-$people" ]; then
  rm -rf "$work"/*
  echo "generating $people people in $work ..."
  build/qreg-generate --out "$work/gen" --people "$people" --seed 7 --quiet
  for f in "$work"/gen/*_export.*; do
    case "$f" in
      *.csv) fmt=ba-csv-v1 ;; *.xml) fmt=jobcenter-xml-v1 ;; *.jsonl) fmt=bamf-jsonl-v1 ;; *) continue ;;
    esac
    echo "importing $f"
    build/qreg import --no-match --db "$db" --format "$fmt" --json "$f" > /dev/null
  done
  if [ "${QREG_BENCH_DEDUP:-0}" = "1" ]; then build/qreg dedup --db "$db"; fi
  touch "$work/ready-$people"
fi
[ "${QREG_BENCH_PREPARE_ONLY:-0}" = "1" ] && { echo "prepared $work"; exit 0; }
records=$(sqlite3 "$db" "SELECT count(*) FROM record")
persons=$(sqlite3 "$db" "SELECT count(DISTINCT person_id) FROM record")
# Every profile read of every run adds an audit entry: a registry reused over many runs carries
# a large log (its folds' index inserts cost more); the figure goes with the results.
audit_entries=$(sqlite3 "$db" "SELECT coalesce(max(seq), 0) FROM audit_entry")
sqlite3 "$db" "SELECT DISTINCT person_id FROM record ORDER BY random() LIMIT 100000" > "$work/ids.txt"
sqlite3 -separator '|' "$db" \
  "SELECT family_name, given_names, birth_year FROM record ORDER BY random() LIMIT 10000" |
  python3 -c '
import sys, urllib.parse
for line in sys.stdin:
    family, given, year = line.rstrip("\n").split("|")
    q = {"name": (given + " " + family).strip()}
    if year != "0": q["birth_date"] = year
    print(urllib.parse.urlencode(q))' > "$work/queries.txt"
[ -f "$work/tls/cert.pem" ] || scripts/dev-cert.sh "$work/tls" > /dev/null
token=$(build/qreg token create --db "$db" --role caseworker --name "bench" 2>/dev/null)

rm -f "$work/port"
build/qreg serve --db "$db" --listen 127.0.0.1:0 \
  --tls-cert "$work/tls/cert.pem" --tls-key "$work/tls/key.pem" --threads "$threads" \
  --port-file "$work/port" 2> "$work/serve.log" &
serve_pid=$!
started=$(date +%s)
while [ ! -f "$work/port" ]; do
  sleep 0.5
  kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
done
echo "qreg serve ready after $(( $(date +%s) - started )) s (search index built)"
port=$(cat "$work/port")
build/qreg-bench-bare-server $((port + 1)) "$work/tls/cert.pem" "$work/tls/key.pem" 2 2> /dev/null &
bare_pid=$!
sleep 1

export QREG_BENCH_TOKEN="$token" QREG_BENCH_IDS="$work/ids.txt" QREG_BENCH_QUERIES="$work/queries.txt"
measure() {  # label connections script url
  local line
  line=$(wrk -t2 -c"$2" -d"${duration}s" --latency -s "$3" "$4" | grep '^RESULT')
  python3 - "$1" "$2" "$line" <<'PY'
import sys
label, conns, line = sys.argv[1], sys.argv[2], sys.argv[3]
kv = dict(p.split("=") for p in line.split()[1:])
print(f"| {label} | {conns} | {int(kv['rps']):,} | {int(kv['p50'])/1000:.2f} ms | {int(kv['p99'])/1000:.2f} ms | {kv['errors']} / {kv['non2xx']} |")
PY
}
# Warm-up, not measured: the first seconds after start read the records from disk.
wrk -t2 -c32 -d5s -s bench/serve/profile.lua "https://127.0.0.1:$port" > /dev/null
echo
echo "registry: $records records, $persons persons, $audit_entries audit entries before the run; wrk -t2 ${duration}s per row, same machine (after a 5 s warm-up)"
echo
echo "| requests | connections | requests/s | p50 | p99 | errors / non-2xx |"
echo "| --- | --- | --- | --- | --- | --- |"
for c in 32 64; do
  measure "bare Beast TLS server (baseline)" "$c" bench/serve/bare.lua "https://127.0.0.1:$((port + 1))/"
  measure "GET /v1/persons/{id} (profile)" "$c" bench/serve/profile.lua "https://127.0.0.1:$port"
  measure "GET /v1/persons?name=&birth_date= (search)" "$c" bench/serve/search.lua "https://127.0.0.1:$port"
done
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$serve_pid/status")
kill "$bare_pid" "$serve_pid"
wait "$serve_pid" 2>/dev/null || true

# Issue 7: what auditing every profile read costs. The same server built without read audit
# entries (build/qreg-bench-noaudit), on the same database, right after.
rm -f "$work/port"
build/qreg-bench-noaudit serve --db "$db" --listen 127.0.0.1:0 --tls-cert "$work/tls/cert.pem" \
  --tls-key "$work/tls/key.pem" --threads "$threads" --port-file "$work/port" 2> "$work/serve-noaudit.log" &
noaudit_pid=$!
while [ ! -f "$work/port" ]; do sleep 0.5; done
port=$(cat "$work/port")
echo
echo "| audit of profile reads | connections | requests/s | p50 | p99 | errors / non-2xx |"
echo "| --- | --- | --- | --- | --- | --- |"
measure "without audit entries (qreg-bench-noaudit)" 32 bench/serve/profile.lua "https://127.0.0.1:$port"
kill "$noaudit_pid"
wait "$noaudit_pid" 2>/dev/null || true
echo "(with audit entries: the profile rows above)"
echo
echo "qreg serve peak RSS: $(( peak_kb / 1024 )) MB"
