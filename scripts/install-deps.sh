#!/usr/bin/env bash
# Installs the Debian 12 packages qreg needs to build and test, if any are missing.
# Usage: scripts/install-deps.sh [extra-package ...]
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libboost1.81-dev libboost-json1.81-dev   # Beast, Asio, JSON
  libsqlite3-dev sqlite3
  libzstd-dev                               # stored canonical records, compressed
  libssl-dev openssl                        # TLS; openssl makes the development certificate
  libfmt-dev
  doctest-dev
  libpugixml-dev                            # Jobcenter XML elements
  libcli11-dev                              # command line
  libicu-dev                                # Unicode names
  python3 python3-cryptography              # the independent audit proof checker (e2e tests)
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  # Node.js may come from elsewhere (nodesource's nodejs bundles npm and conflicts with
  # Debian's npm): a working command is enough.
  case "$p" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing missing Debian packages: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
