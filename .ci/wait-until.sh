# Sourced by .ci/services/*.sh: `wait_until <what> <command…>` retries the command for up to
# 30 seconds and fails with a message naming the service if it never succeeds.
wait_until() {
  local what=$1
  shift
  for _ in $(seq 1 150); do
    if "$@" >/dev/null 2>&1; then
      echo "$what is up"
      return 0
    fi
    sleep 0.2
  done
  echo "$what did not answer within 30 s" >&2
  return 1
}
