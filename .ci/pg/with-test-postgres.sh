#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on loopback, started as the unprivileged user
# `postgres` (or `nobody`) from a fresh initdb in a temporary directory, and removed when the command
# ends. Installs Debian's postgresql with apt-get when it is missing.
#
# Exported to the command:
#   KMSJ_TEST_PG_URL       jdbc:postgresql://127.0.0.1:PORT/kmsj
#   KMSJ_TEST_PG_USER      kmsj (password authentication, may create databases)
#   KMSJ_TEST_PG_PASSWORD  its password
#   KMSJ_TEST_PG_CTL       a script: `$KMSJ_TEST_PG_CTL stop` / `start` stops (fast) and restarts the
#                          server, for outage tests
#
# Usage: with-test-postgres.sh CMD [ARG...]
#   PG_TEST_PORT  first port to try (default: 15432 plus a random even offset below 1000, so that
#                 several builds on one machine rarely meet, even while one has its server stopped)
# Exits with the command's status (1 if the server could not start).
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: with-test-postgres.sh CMD [ARG...]" >&2; exit 2; }
PORT="${PG_TEST_PORT:-$((15432 + (RANDOM % 500) * 2))}"

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && { echo "$d"; return 0; }
  done
  return 1
}
if ! BIN="$(find_bin)"; then
  echo "with-test-postgres: installing postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  BIN="$(find_bin)"
fi

# The server refuses to run as root: run it as postgres, or nobody where that user is missing.
RUN_AS=postgres
id "$RUN_AS" >/dev/null 2>&1 || RUN_AS=nobody
as_user() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u "$RUN_AS" -- "$@"
  else
    "$@"
  fi
}

PG_WORK="$(mktemp -d "${TMPDIR:-/tmp}/kmsj-pg.XXXXXX")"
chmod 755 "$PG_WORK"
DATA="$PG_WORK/data"
PASSWORD="kmsj-test-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
mkdir -p "$DATA" "$PG_WORK/socket" "$PG_WORK/log"
[[ "$(id -u)" == 0 ]] && chown "$RUN_AS" "$DATA" "$PG_WORK/socket" "$PG_WORK/log"
chmod 700 "$DATA"

cleanup() {
  as_user "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_WORK"
}
trap cleanup EXIT

as_user "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 >"$PG_WORK/initdb.log" 2>&1 || { cat "$PG_WORK/initdb.log" >&2; exit 1; }

started=0
for try in 0 1 2 3 4 5 6 7 8 9; do
  p=$((PORT + try))
  cat >"$PG_WORK/ctl.sh" <<CTL
#!/usr/bin/env bash
# stop | start the kmsj test PostgreSQL server on port $p.
set -euo pipefail
case "\${1:-}" in
  stop) cmd=(stop -m fast) ;;
  start) cmd=(start -l "$PG_WORK/log/server.log" -o "-p $p -k $PG_WORK/socket -c listen_addresses=127.0.0.1 -c max_connections=100") ;;
  *) echo "usage: \$0 stop|start" >&2; exit 2 ;;
esac
if [[ "\$(id -u)" == 0 ]]; then
  exec runuser -u $RUN_AS -- "$BIN/pg_ctl" -D "$DATA" -w -t 60 "\${cmd[@]}"
else
  exec "$BIN/pg_ctl" -D "$DATA" -w -t 60 "\${cmd[@]}"
fi
CTL
  chmod 755 "$PG_WORK/ctl.sh"
  if "$PG_WORK/ctl.sh" start >/dev/null 2>&1; then
    started=1
    PORT=$p
    break
  fi
  grep -q "already in use\|could not bind\|could not create any TCP" "$PG_WORK/log/server.log" 2>/dev/null || break
done
if (( ! started )); then
  cat "$PG_WORK/log/server.log" >&2 2>/dev/null || true
  exit 1
fi

as_user "$BIN/psql" -h "$PG_WORK/socket" -p "$PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE kmsj LOGIN CREATEDB PASSWORD '$PASSWORD'" -c "CREATE DATABASE kmsj OWNER kmsj" >/dev/null

export KMSJ_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$PORT/kmsj"
export KMSJ_TEST_PG_USER=kmsj
export KMSJ_TEST_PG_PASSWORD="$PASSWORD"
export KMSJ_TEST_PG_CTL="$PG_WORK/ctl.sh"

set +e
"$@"
status=$?
set -e
exit "$status"
