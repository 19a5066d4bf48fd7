#!/usr/bin/env bash
# Matching quality and speed: FEBRL3 and FEBRL4 (public benchmark data), and generated refugee
# data with its truth. Usage: bench/dedup_bench.sh [people]   (default 1000000, ~2M records)
# Goals (issue 4): generated precision >= 0.995 and F1 >= 0.98; FEBRL3/4 F1 >= 0.9995;
# full dedup of 1,000,000 generated people in under 60 s on 2 cores; incremental import with
# matching of a 10,000-record export into that registry in under 5 s.
# QREG_BENCH_EXPORT sets the size of that export (default 10000); QREG_BENCH_SKIP_FEBRL=1 skips FEBRL.
set -euo pipefail
cd "$(dirname "$0")/.."
people="${1:-1000000}"
scripts/install-deps.sh time
scripts/build.sh >/dev/null
work="${QREG_BENCH_DIR:-build/bench-dedup}"
shared="${QREG_SHARED_DIR:-../shared}"
rm -rf "$work"
mkdir -p "$work"
q=build/qreg
timed() {  # label command...: prints wall seconds and peak RSS
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/$label.out"
  read -r secs kb < "$work/time"
  printf '%s: %.1f s, peak RSS %d MB\n' "$label" "$secs" $((kb / 1024))
}

if [ "${QREG_BENCH_SKIP_FEBRL:-0}" != 1 ]; then
echo "== FEBRL"
for set in 3 4; do
  db="$work/febrl$set.db"
  if [ "$set" = 3 ]; then files=("$shared/data/febrl/dataset3.csv")
  else files=("$shared/data/febrl/dataset4a.csv" "$shared/data/febrl/dataset4b.csv"); fi
  $q import --no-match --db "$db" --format febrl "${files[@]}" > /dev/null
  timed "febrl$set-dedup" $q dedup --retrain --db "$db"
  $q links --db "$db" > "$work/febrl$set.links"
  echo "FEBRL$set: $(python3 bench/evaluate.py "$work/febrl$set.links" --febrl "${files[@]}")"
done
fi

echo "== generated: $people people"
build/qreg-generate --out "$work/gen" --people "$people" --seed 42 --quiet
db="$work/gen.db"
# The first load only stores (--no-match); the full recomputation below matches it all.
timed import-ba $q import --no-match --db "$db" --format ba-csv-v1 "$work/gen/ba_export.csv"
timed import-jobcenter $q import --no-match --db "$db" --format jobcenter-xml-v1 "$work/gen/jobcenter_export.xml"
timed import-bamf $q import --no-match --db "$db" --format bamf-jsonl-v1 "$work/gen/bamf_export.jsonl"
# --progress: each step with its time, on stderr
# The imports (and the copy below) leave gigabytes of dirty pages: written back first, so that
# the timed runs are not slowed by the kernel's writeback of earlier steps.
sync
timed dedup $q dedup --retrain --progress --db "$db"
cat "$work/dedup.out"
$q links --db "$db" > "$work/gen.links"
echo "generated: $(python3 bench/evaluate.py "$work/gen.links" "$work/gen/truth.csv")"

# Incremental: a further BA export of new people (another seed: namesakes of registry people
# abound), imported with matching into the registry above.
export_records="${QREG_BENCH_EXPORT:-10000}"
echo "== incremental: a $export_records-record BA export into that registry"
build/qreg-generate --out "$work/gen-more" --formats ba --exact-records "$export_records" --seed 4242 --quiet
cp "$db" "$work/gen-incremental.db"
sync
timed import-incremental $q import --db "$work/gen-incremental.db" --format ba-csv-v1 --json \
  "$work/gen-more/ba_export.csv"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("received", s["received"], "new", s["new"], "updated", s["updated"], "matching", json.dumps(s["matching"]))' \
  "$work/import-incremental.out"
