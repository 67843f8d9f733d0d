#!/usr/bin/env bash
# Installs the Debian packages Criticality builds against (OpenBLAS with its LAPACK, and
# LAPACKE). Safe to run repeatedly; needs root (or sudo) on Debian/Ubuntu.
set -euo pipefail
packages=(libopenblas-dev liblapacke-dev zlib1g-dev libsqlite3-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
