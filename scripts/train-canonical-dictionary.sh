#!/usr/bin/env bash
# Trains a zstd dictionary for stored canonical records (registry/storage/canonical_codec.hpp)
# on generated exports of all three agency formats and the FEBRL mapping, 3,000 records each.
# Usage: scripts/train-canonical-dictionary.sh ID OUT.dict
# A released dictionary never changes (stored records name it by id): a new one gets the next
# id and is added beside the old ones in registry/CMakeLists.txt, never in their place.
# registry/storage/canonical-v1.dict was trained on this same sample, read from the database
# before records were stored packed.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 ID OUT.dict" >&2; exit 2; }
id=$1
out=$(realpath -m "$2")
cd "$(dirname "$0")/.."
scripts/install-deps.sh zstd
scripts/build.sh >/dev/null
shared="${QREG_SHARED_DIR:-../shared}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build/qreg-generate --out "$work/gen" --people 20000 --seed 20261204 --quiet
for f in "$work"/gen/*_export.*; do
  case "$f" in
    *.csv) fmt=ba-csv-v1 ;; *.xml) fmt=jobcenter-xml-v1 ;; *.jsonl) fmt=bamf-jsonl-v1 ;; *) continue ;;
  esac
  build/qreg import --no-match --db "$work/d.db" --format "$fmt" --json "$f" >/dev/null
done
build/qreg import --no-match --db "$work/d.db" --format febrl --json "$shared/data/febrl/dataset3.csv" >/dev/null
mkdir "$work/samples"
# One file per record (zstd --train takes files as samples), as `qreg records` prints them.
python3 - "$work" <<'PY'
import json, random, sqlite3, subprocess, sys
work = sys.argv[1]
keys = sqlite3.connect(f"{work}/d.db").execute("SELECT source, record_id FROM record ORDER BY id").fetchall()
random.seed(1)
random.shuffle(keys)
per_source = {}
for source, record_id in keys:
    if per_source.get(source, 0) == 3000:
        continue
    n = sum(per_source.values())
    per_source[source] = per_source.get(source, 0) + 1
    shown = subprocess.run(["build/qreg", "records", "--db", f"{work}/d.db", "--source", source,
                            "--id", record_id], check=True, capture_output=True, text=True).stdout
    with open(f"{work}/samples/{n:06d}.json", "w") as f:  # compact, as stored
        f.write(json.dumps(json.loads(shown)["canonical"], ensure_ascii=False, separators=(",", ":")))
print(f"samples: {per_source}", file=sys.stderr)
PY
zstd --train -r "$work/samples" -o "$out" --maxdict=32768 --dictID="$id" -3 -q -f
echo "dictionary $id: $out ($(stat -c %s "$out") bytes)"
