#!/usr/bin/env bash
# Redis on 127.0.0.1 (REDIS_PORT, default 6379), started unless it already answers.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../wait-until.sh"
port=${REDIS_PORT:-6379}
answers() { [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]]; }

if ! answers; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$port" --save "" --appendonly no \
    --dir /var/lib/redis --logfile "/var/log/redis/ci-$port.log" --pidfile "/var/lib/redis/ci-$port.pid"
fi
wait_until "redis on 127.0.0.1:$port" answers
