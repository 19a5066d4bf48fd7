#!/usr/bin/env bash
# Makes a self-signed TLS certificate for localhost (development and tests only):
# DIR/cert.pem and DIR/key.pem. Production uses the municipality's own certificate.
set -euo pipefail
dir=${1:?usage: scripts/dev-cert.sh DIR}
mkdir -p "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
chmod 600 "$dir/key.pem"
echo "$dir/cert.pem and $dir/key.pem (self-signed for localhost)"
