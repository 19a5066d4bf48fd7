#!/usr/bin/env bash
# The README's first command: install what is missing, build, import the sample exports of
# ../shared/formats/ into a fresh database, link the records of each person, and show what
# landed, then serve that database over HTTPS (QREG_SERVE=0: stop before serving).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh

shared="${QREG_SHARED_DIR:-../shared}"
db="${QREG_DB:-build/qreg-demo.db}"
rm -f "$db" "$db-wal" "$db-shm"
echo "== importing the sample exports into $db (each import matches its records)"
build/qreg import --db "$db" --format ba-csv-v1 "$shared/formats/ba_export_sample.csv"
build/qreg import --db "$db" --format jobcenter-xml-v1 "$shared/formats/jobcenter_export_sample.xml"
build/qreg import --db "$db" --format bamf-jsonl-v1 "$shared/formats/bamf_export_sample.jsonl"
echo "== recomputing all persons from scratch (qreg dedup): nobody should move"
build/qreg dedup --db "$db"
echo "== records and their persons (qreg links), first rows"
build/qreg links --db "$db" | head -n 11
echo "== one record in full: build/qreg records --db $db --source ba --id 909E281041"
build/qreg records --db "$db" --source ba --id 909E281041
echo "== why two records are one person: build/qreg explain --db $db --record ba:909E281041 --record bamf:5111279-163"
build/qreg explain --db "$db" --record ba:909E281041 --record bamf:5111279-163

# The service over HTTPS on that database (Ctrl-C stops it). QREG_SERVE=0 skips this step.
[ "${QREG_SERVE:-1}" = "0" ] && exit 0
tls="build/dev-tls"
[ -f "$tls/cert.pem" ] || scripts/dev-cert.sh "$tls" >/dev/null
listen="${QREG_LISTEN:-127.0.0.1:8443}"
token=$(build/qreg token create --db "$db" --role caseworker --name "demo caseworker" 2>/dev/null)
cat <<INFO
== serving $db on https://$listen (self-signed certificate: $tls/cert.pem)
   web page:   https://localhost:${listen##*:}/   (sign in with the token below)
   caseworker token (shown once): $token
   try:        curl --cacert $tls/cert.pem -H "Authorization: Bearer $token" \\
                 "https://localhost:${listen##*:}/v1/persons?name=Hasan%20Abbas"
   stop with Ctrl-C
INFO
exec build/qreg serve --db "$db" --listen "$listen" --tls-cert "$tls/cert.pem" --tls-key "$tls/key.pem"
