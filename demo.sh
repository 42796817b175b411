#!/usr/bin/env bash
# The main job, with nothing to configure: builds kmsj, starts a KMS host on loopback and activates
# clients against it until the count reaches each product's threshold.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -ntp package -DskipTests
exec java -jar examples/target/kmsj.jar demo "$@"
