#!/usr/bin/env bash
# Checks that the build is reproducible: builds kms-protocol, kms-core, kms-sim, kms-metrics,
# kms-admin-http and kms-store-postgres (main, sources, Javadoc and test jars) twice, from two
# copies of the work tree in different directories, and compares the jars byte for byte.
# project.build.outputTimestamp fixes the entry times; this catches everything
# else (build paths, dates in the Javadoc, unordered entries). Tests are skipped: ./test.sh runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kmsj-reproducible.XXXXXX")
trap 'rm -rf "$work"' EXIT

modules=(kms-protocol kms-core kms-sim kms-metrics kms-admin-http kms-store-postgres)
for copy in a b; do
  mkdir -p "$work/$copy"
  # Tracked and new files, without build output.
  git ls-files -z --cached --others --exclude-standard | tar -C "$root" --null -T - -cf - |
    tar -C "$work/$copy" -xf -
  (cd "$work/$copy" && mvn -B -ntp -q package -pl "$(IFS=,; echo "${modules[*]}")" -am \
    -DskipTests -Dspotless.check.skip=true -Denforcer.skip=true) >"$work/$copy.log" 2>&1 ||
    { cat "$work/$copy.log"; echo "reproducible.sh: build $copy failed" >&2; exit 1; }
done

status=0
count=0
for jar in $(cd "$work/a" && for m in "${modules[@]}"; do ls "$m"/target/*.jar; done); do
  count=$((count + 1))
  if cmp -s "$work/a/$jar" "$work/b/$jar"; then
    echo "reproducible: $jar $(sha256sum <"$work/a/$jar" | cut -c1-16)"
  else
    echo "NOT reproducible: $jar" >&2
    diff <(unzip -lv "$work/a/$jar" | awk '{print $7, $8}') \
      <(unzip -lv "$work/b/$jar" | awk '{print $7, $8}') >&2 || true
    status=1
  fi
done
if [ "$count" -eq 0 ]; then
  echo "reproducible.sh: no jars were built" >&2
  exit 1
fi
exit $status
