#!/usr/bin/env bash
# Starts memcached on 127.0.0.1:11211 unless something already answers there; waits until it does.
set -euo pipefail
answers() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/11211 && printf 'version\\r\\n' >&3 && head -c 7 <&3 | grep -q VERSION" 2>/dev/null; }
if ! answers; then
  user=memcache
  id -u "$user" >/dev/null 2>&1 || user=root
  memcached -d -u "$user" -l 127.0.0.1 -p 11211 -m 64
fi
for _ in $(seq 1 50); do
  if answers; then echo "memcached answers on 127.0.0.1:11211"; exit 0; fi
  sleep 0.1
done
echo "memcached did not answer on 127.0.0.1:11211" >&2
exit 1
