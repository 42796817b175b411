#!/usr/bin/env bash
# The PostgreSQL store against the default file store in one interleaved compare-cpu.sh run (16
# persistent connections), then database round trips per request (kmsj_host.commits: one round trip
# per kmsj_record call) and PostgreSQL's own CPU. Needs a server: run it through
# .ci/pg/with-test-postgres.sh, which exports KMSJ_TEST_PG_* (see kms-bench/README.md).
#
#   .ci/pg/with-test-postgres.sh kms-bench/compare-postgres.sh DIR OUT
#
# DIR holds kmsj.jar and benchmarks.jar (as for compare-cpu.sh); OUT receives the logs. Bounded:
# 3 rounds x 2 configurations x (WARMUP + DURATION) seconds, default 10 + 20.
set -euo pipefail
J=${1:?usage: compare-postgres.sh DIR OUT}
OUT=${2:?usage: compare-postgres.sh DIR OUT}
mkdir -p "$OUT"
PGPORT=$(echo "$KMSJ_TEST_PG_URL" | sed 's/.*:\([0-9]*\)\/.*/\1/')
PSQL="$(ls -d /usr/lib/postgresql/*/bin | tail -1)/psql -h 127.0.0.1 -p $PGPORT -U kmsj -v ON_ERROR_STOP=1 -qtA"
export PGPASSWORD="$KMSJ_TEST_PG_PASSWORD"
$PSQL -d kmsj -c "CREATE DATABASE kmsjbench"
URL="jdbc:postgresql://127.0.0.1:$PGPORT/kmsjbench"
CRED="$OUT/db.credentials"
umask 077
printf 'user=%s\npassword=%s\n' "$KMSJ_TEST_PG_USER" "$KMSJ_TEST_PG_PASSWORD" > "$CRED"
{ date -u; nproc; uptime; "$(ls -d /usr/lib/postgresql/*/bin | tail -1)"/postgres --version; } > "$OUT/machine.txt"
pgcpu() {  # CPU ticks of the whole PostgreSQL server: postmaster, its reaped and its live children
  local pm t=0
  pm=$(head -1 "$(dirname "$KMSJ_TEST_PG_CTL")/data/postmaster.pid")
  t=$(awk '{print $14+$15+$16+$17}' /proc/$pm/stat)
  for c in $(pgrep -P "$pm"); do t=$((t + $(awk '{print $14+$15}' /proc/$c/stat 2>/dev/null || echo 0))); done
  echo "$t"
}
c0=$(pgcpu)
x0=$($PSQL -d kmsjbench -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'kmsjbench'")
kms-bench/compare-cpu.sh --rounds 3 --duration ${DURATION:-20} --warmup ${WARMUP:-10} --threads 16 --configs store,pg \
  --host-config "pg=--store $URL --store-credentials $CRED --host-id bench" \
  --out "$OUT/compare" "$J" 2>&1 | tee "$OUT/compare.console.txt"
sleep 2
c1=$(pgcpu)
echo "postgres server CPU over the whole compare run: $(( (c1 - c0) * 10 )) ms ($(getconf CLK_TCK) ticks/s)" | tee "$OUT/pgcpu.txt"
x1=$($PSQL -d kmsjbench -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'kmsjbench'")
$PSQL -d kmsjbench -c "SELECT 'host', host_id, requests, commits FROM kmsj_host" | tee "$OUT/hosts.txt"
$PSQL -d kmsjbench -c "SELECT 'clients', count(*), sum(request_count) FROM kmsj_client" | tee -a "$OUT/hosts.txt"
echo "xact_commit delta over the whole compare run: $((x1 - x0))" | tee -a "$OUT/hosts.txt"
uptime >> "$OUT/machine.txt"
