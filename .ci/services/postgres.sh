#!/usr/bin/env bash
# PostgreSQL on 127.0.0.1:5432 (trust auth, database `test`), started unless it already answers.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../wait-until.sh"
answers() { pg_isready -h 127.0.0.1 -p 5432 -q; }

if ! answers; then
  # A cluster that is still starting refuses a second start; the wait below covers that case.
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
fi
wait_until "postgresql on 127.0.0.1:5432" answers
if [[ -z $(psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'") ]]; then
  createdb -h 127.0.0.1 -U postgres test
fi
