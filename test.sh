#!/usr/bin/env bash
# Runs every test of kmsj: the whole Maven build (unit, property, golden-vector, loopback, crash,
# real-DNS, real-PostgreSQL and headless-browser tests). The DNS tests need a real BIND server on
# loopback; .ci/dns/with-test-dns.sh installs bind9 when it is missing (apt-get, as root) and runs one
# for the duration of the build. The PostgreSQL store's tests need a real PostgreSQL server:
# .ci/pg/with-test-postgres.sh installs postgresql when it is missing and runs a throwaway one (initdb
# in a temporary directory, loopback only) likewise. The status page's test (kms-admin-http
# StatusPageBrowserTest) drives Debian's headless chromium through chromedriver, and DistributionIT
# checks the systemd unit with systemd-analyze: both are installed here when missing.
set -euo pipefail
cd "$(dirname "$0")"
need=()
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  need+=(chromium chromium-driver)
fi
if ! command -v systemd-analyze >/dev/null 2>&1; then
  need+=(systemd)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${need[*]}" >&2
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "test.sh: ${need[*]} missing and not installable here (needs root and apt-get);" \
      "the tests that need them skip, or fail under CI=true" >&2
  fi
fi
exec .ci/dns/with-test-dns.sh .ci/pg/with-test-postgres.sh mvn -B -ntp verify "$@"
