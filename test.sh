#!/usr/bin/env bash
# Runs every test of kmsj: the whole Maven build (unit, property, golden-vector, loopback, crash and
# DNS tests). The DNS tests need a real BIND server on loopback; .ci/dns/with-test-dns.sh installs bind9
# when it is missing (apt-get, as root) and runs one for the duration of the build. The PostgreSQL store's
# tests need a real PostgreSQL server: .ci/pg/with-test-postgres.sh installs postgresql when it is
# missing and runs a throwaway one (initdb in a temporary directory, loopback only) likewise.
set -euo pipefail
cd "$(dirname "$0")"
exec .ci/dns/with-test-dns.sh .ci/pg/with-test-postgres.sh mvn -B -ntp verify "$@"
