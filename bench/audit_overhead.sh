#!/usr/bin/env bash
# What auditing profile reads costs (issue 7; goal: under 10 %): `qreg serve` and the same server
# built without read audit entries (qreg-bench-noaudit), alternately, each ROUNDS times for
# SECONDS with wrk (2 threads, 32 connections) on the database bench/serve_bench.sh prepares.
# Prints every run and the medians. Usage: bench/audit_overhead.sh [people] [rounds]
# Environment: QREG_BENCH_SECONDS (default 15), QREG_BENCH_DIR (default build/bench-serve).
set -euo pipefail
cd "$(dirname "$0")/.."
people="${1:-1000000}"
rounds="${2:-3}"
export QREG_BENCH_SECONDS="${QREG_BENCH_SECONDS:-15}"
work="${QREG_BENCH_DIR:-build/bench-serve}"
QREG_BENCH_PREPARE_ONLY=1 bench/serve_bench.sh "$people" > /dev/null
cmake --build build --target qreg qreg-bench-noaudit -j"$(nproc)" > /dev/null
db="$work/registry.db"
[ -f "$work/tls/cert.pem" ] || scripts/dev-cert.sh "$work/tls" > /dev/null
sqlite3 "$db" "SELECT DISTINCT person_id FROM record ORDER BY random() LIMIT 100000" > "$work/ids.txt"
export QREG_BENCH_TOKEN="$(build/qreg token create --db "$db" --role caseworker --name bench 2>/dev/null)"
export QREG_BENCH_IDS="$work/ids.txt"

run() {  # binary -> requests per second
  rm -f "$work/port"
  "$1" serve --db "$db" --listen 127.0.0.1:0 --tls-cert "$work/tls/cert.pem" \
    --tls-key "$work/tls/key.pem" --threads 2 --port-file "$work/port" 2> "$work/overhead.log" &
  local pid=$!
  while [ ! -f "$work/port" ]; do
    sleep 0.5
    kill -0 "$pid" 2>/dev/null || { cat "$work/overhead.log" >&2; exit 1; }
  done
  wrk -t2 -c32 -d"${QREG_BENCH_SECONDS}s" --latency -s bench/serve/profile.lua \
    "https://127.0.0.1:$(cat "$work/port")" | sed -n 's/^RESULT rps=\([0-9]*\) .*/\1/p'
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

audited=() plain=()
for i in $(seq "$rounds"); do
  a=$(run build/qreg); p=$(run build/qreg-bench-noaudit)
  echo "round $i: audited $a/s, not audited $p/s"
  audited+=("$a") plain+=("$p")
done
# Each round's two runs are a pair (same minute, same machine state): the overhead is the median
# of the rounds' overheads, not the ratio of two medians taken from different rounds.
python3 - "${audited[*]}" "${plain[*]}" <<'PY'
import statistics, sys
a = [int(x) for x in sys.argv[1].split()]
p = [int(x) for x in sys.argv[2].split()]
costs = [100 * (1 - x / y) for x, y in zip(a, p)]
print("overhead per round: " + ", ".join(f"{c:.1f} %" for c in costs))
print(f"median: audited {statistics.median(a):,.0f}/s, not audited {statistics.median(p):,.0f}/s, "
      f"audit overhead {statistics.median(costs):.1f} % (median of the rounds)")
PY
