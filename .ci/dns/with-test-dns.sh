#!/usr/bin/env bash
# Runs a command with a throwaway BIND 9 test server (see start-test-dns.sh) on loopback, with its
# settings (DNS_PORT, DNS_TSIG_KEY_NAME, DNS_TSIG_SECRET_FILE, ...) exported to the command.
# Installs bind9 with apt-get when it is missing. Stops the server when the command ends.
#
# Usage: with-test-dns.sh CMD [ARG...]
#   DNS_TEST_PORT  port to use (default 15353)
# Exits with the command's status (1 if the server could not start).
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: with-test-dns.sh CMD [ARG...]" >&2; exit 2; }
HERE="$(cd "$(dirname "$0")" && pwd -P)"
PORT="${DNS_TEST_PORT:-15353}"

if ! PATH="$PATH:/usr/sbin:/sbin" command -v named >/dev/null || ! command -v dig >/dev/null; then
  echo "with-test-dns: installing bind9 and bind9-dnsutils" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends bind9 bind9-dnsutils >/dev/null
fi

DNS_WORK="$(mktemp -d "${TMPDIR:-/tmp}/kmsj-dns.XXXXXX")"   # pattern matches the AppArmor rule
cleanup() {
  "$HERE/stop-test-dns.sh" "$DNS_WORK" >/dev/null || true
  rm -rf "$DNS_WORK"
}
trap cleanup EXIT
# Try a few ports: another test server (or a parallel build) may hold the first.
started=0
for try in 0 1 2 3 4 5 6 7 8 9; do
  if "$HERE/start-test-dns.sh" "$DNS_WORK" "$((PORT + try))" >/dev/null 2>"$DNS_WORK/start.err"; then
    started=1
    break
  fi
  grep -q "already in use" "$DNS_WORK/start.err" || break
done
if (( ! started )); then
  cat "$DNS_WORK/start.err" >&2
  exit 1
fi
set -a
# shellcheck disable=SC1091
. "$DNS_WORK/test-dns.env"
set +a

set +e
"$@"
status=$?
set -e
exit "$status"
