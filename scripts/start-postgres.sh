#!/usr/bin/env bash
# Starts a local PostgreSQL server (Debian's packages) on 127.0.0.1:5432 with a role and a
# database `crit` (password `crit`) for the results-store tests and local cluster-style
# sweeps. Safe to run repeatedly; needs root. Prints the store URL.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  su postgres -c "psql -tAc 'SELECT 1'" >/dev/null 2>&1 && break
  sleep 1
done
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'crit'\"" | grep -q 1; then
  su postgres -c "psql -qc \"CREATE ROLE crit LOGIN PASSWORD 'crit'\""
fi
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'crit'\"" | grep -q 1; then
  su postgres -c "createdb -O crit crit"
fi
echo "postgres://crit:crit@127.0.0.1:5432/crit"
