#!/usr/bin/env bash
# Fuzzes one target for a bounded time: .ci/fuzz.sh TARGET SECONDS (docs/FUZZING.md).
# TARGET is one of the names below; SECONDS is the fuzzing time (libFuzzer's -max_total_time), and
# the whole run is killed 5 minutes after it if it has not stopped by itself. The corpus that the
# fuzzer grows stays in <module>/.cifuzz-corpus/ (ignored by git); a finding is written into the
# target's inputs directory under src/test/resources and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -ne 2 || ! "$2" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 TARGET SECONDS" >&2
  echo "targets: pdu-decoder host-association host-request client-response catalog journal snapshot export response-classifier" >&2
  exit 2
fi
target=$1 seconds=$2

case "$target" in
  pdu-decoder) module=kms-protocol test='PduDecoderFuzzTest#decoder_anyStreamInAnyChunks' ;;
  host-association) module=kms-protocol test='HostAssociationFuzzTest#association_afterValidBind_anyPdus' ;;
  host-request) module=kms-protocol test='KmsMessageFuzzTest#hostDecodeRequest_anyBytes' ;;
  client-response) module=kms-protocol test='KmsMessageFuzzTest#clientDecodeResponse_anyBytes' ;;
  catalog) module=kms-core test='CatalogReaderFuzzTest#catalog_anyJson' ;;
  journal) module=kms-core test='StoreReadersFuzzTest#journal_anyBytes' ;;
  snapshot) module=kms-core test='StoreReadersFuzzTest#snapshot_anyBytes' ;;
  export) module=kms-core test='StoreReadersFuzzTest#export_anyJson' ;;
  response-classifier) module=kms-core test='ResponseClassifierFuzzTest#classify_anyResponseStub' ;;
  *) echo "unknown target: $target" >&2; exit 2 ;;
esac

modules=kms-protocol
[[ "$module" == kms-core ]] && modules=kms-protocol,kms-core

# jazzer.internal.arg.N are libFuzzer's arguments (0 is argv[0]); they come after the @FuzzTest's
# maxDuration and so override it. -timeout: an input that runs longer than 10 s is a finding.
JAZZER_FUZZ=1 exec timeout --kill-after=10 $((seconds + 300)) nice -n 10 \
  mvn -B -ntp test -pl "$modules" \
  -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
  -Djazzer.internal.arg.0=fuzz \
  -Djazzer.internal.arg.1=-max_total_time="$seconds" \
  -Djazzer.internal.arg.2=-timeout=10 \
  -Djazzer.internal.arg.3=-print_final_stats=1
