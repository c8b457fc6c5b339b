#!/usr/bin/env bash
# MariaDB on 127.0.0.1:3306 (root without password, database `test`), started unless it already answers.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../wait-until.sh"
answers() { mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -u root ping >/dev/null 2>&1; }

if ! answers; then
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi
wait_until "mariadb on 127.0.0.1:3306" answers
mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -u root -e "CREATE DATABASE IF NOT EXISTS test"
