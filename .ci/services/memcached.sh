#!/usr/bin/env bash
# memcached on 127.0.0.1 (MEMCACHED_PORT, default 11211), started unless it already answers.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../wait-until.sh"
port=${MEMCACHED_PORT:-11211}
answers() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'version\\r\\n' >&3 && head -c 7 <&3 | grep -q VERSION"; }

if ! answers; then
  user=memcache
  id -u "$user" >/dev/null 2>&1 || user=root
  memcached -d -u "$user" -l 127.0.0.1 -p "$port" -m 64
fi
wait_until "memcached on 127.0.0.1:$port" answers
