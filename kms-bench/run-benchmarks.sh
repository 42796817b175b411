#!/usr/bin/env bash
# Runs every JMH benchmark, the allocation comparison and the two load-tool scenarios, keeping the raw
# results under kms-bench/results/. Bounded: about 8 minutes of JMH and 30 s of load on this machine.
# Usage (from the repository root): kms-bench/run-benchmarks.sh [label]
set -euo pipefail
cd "$(dirname "$0")/.."
label=${1:-$(date -u +%Y-%m-%d)}
out=kms-bench/results
jar=kms-bench/target/benchmarks.jar
mkdir -p "$out"
mvn -B -ntp -q install -DskipTests

{ date -u; nproc; grep -m1 'model name' /proc/cpuinfo; java -version 2>&1; uptime; } > "$out/machine-$label.txt"

# 1. Every benchmark: base class settings (1 fork, 5 x 1 s measurement) but 5 warm-up iterations,
#    since the JIT settles slowly on a busy 2-core machine.
java -jar "$jar" -wi 5 -rf json -rff "$out/jmh-all-$label.json" | tee "$out/jmh-all-$label.txt"

# 2. Allocation per full request with 1,000 and 100,000 distinct CMIDs (must not grow).
java -jar "$jar" 'FullRequestBenchmark.request$' -wi 5 -p ndr=NDR32 -p clients=1000,100000 -prof gc \
  -rf json -rff "$out/jmh-gc-$label.json" | tee "$out/jmh-gc-$label.txt"

# 3. Load over loopback: 16 persistent connections, then a new connection per request from 8 threads.
lt="java -Xms1g -Xmx1g -cp $jar io.github.kmsj.bench.LoadTool"
$lt --mode persistent --threads 16 --duration 10 --warmup 5 | tee "$out/load-persistent-$label.txt"
$lt --mode new-connection --threads 8 --duration 10 --warmup 5 | tee "$out/load-newconn-$label.txt"
uptime >> "$out/machine-$label.txt"
