#!/usr/bin/env bash
# Runs every test of kmsj: the whole Maven build (unit, property, golden-vector, loopback, crash and
# DNS tests). The DNS tests need a real BIND server on loopback; .ci/dns/with-test-dns.sh installs bind9
# when it is missing (apt-get, as root) and runs one for the duration of the build.
set -euo pipefail
cd "$(dirname "$0")"
exec .ci/dns/with-test-dns.sh mvn -B -ntp verify "$@"
