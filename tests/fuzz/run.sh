#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang and runs each one.
# Usage: tests/fuzz/run.sh [seconds-per-harness]   (default 60)
# Corpora live in build-fuzz/corpus/<harness>/ (seeded from ../shared/formats); a crash is
# written to build-fuzz/ as crash-<hash> and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
scripts/install-deps.sh clang libclang-rt-14-dev
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DQREG_FUZZ=ON -DBUILD_TESTING=ON >/dev/null
harnesses=(fuzz_ba_csv fuzz_jobcenter_xml fuzz_bamf_jsonl fuzz_delimited)
cmake --build build-fuzz -j"$(nproc)" --target "${harnesses[@]}"

shared="${QREG_SHARED_DIR:-../shared}"
seed() {  # harness -> seed files
  case "$1" in
    fuzz_ba_csv) echo "$shared/formats/ba_export_sample.csv" ;;
    fuzz_jobcenter_xml) echo "$shared/formats/jobcenter_export_sample.xml" ;;
    fuzz_bamf_jsonl) echo "$shared/formats/bamf_export_sample.jsonl" ;;
    fuzz_delimited) echo "$shared/data/febrl/dataset1.csv" ;;
  esac
}
for h in "${harnesses[@]}"; do
  corpus="build-fuzz/corpus/$h"
  mkdir -p "$corpus"
  if [ -z "$(ls -A "$corpus")" ]; then
    f=$(seed "$h")
    head -c 20000 "$f" > "$corpus/seed"
  fi
  echo "== $h for ${seconds}s"
  (cd build-fuzz && "tests/fuzz/$h" -max_total_time="$seconds" -max_len=65536 \
      -print_final_stats=0 "corpus/$h" 2>&1 | tail -n 3)
done
