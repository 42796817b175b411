#!/usr/bin/env bash
# Before/after comparison of the KMS host's server CPU per request, out of process, over loopback.
#
#   kms-bench/compare-cpu.sh [options] BEFORE_DIR [AFTER_DIR] [--side NAME=DIR ...]
#
# BEFORE_DIR and AFTER_DIR each hold a kmsj.jar (examples/target/kmsj.jar) and a benchmarks.jar
# (kms-bench/target/benchmarks.jar). Runs are interleaved round by round (before, after, vlmcsd,
# before, after, vlmcsd, ...) so that slow drifts of the machine's load hit every side alike.
# Configurations per side:
#   store    java -jar DIR/kmsj.jar host (default durable store in a fresh --data-dir), CPU of the whole
#            host process from /proc/PID/stat (LoadTool --target --pid)
#   nostore  the same host with --no-store, same accounting
#   inproc   LoadTool's in-process KmsServer (no store): CPU of the kmsj-server-* threads only
#   NAME     any host configuration added with --host-config NAME[@SIDE]=ARGS: the host with ARGS
#            (plus a fresh --data-dir unless ARGS holds --no-store), same accounting as store
# and, with --vlmcsd HOST:PORT:PID, a peer already running (this script never builds or starts it).
# More sides (a third build, ...) come with --side NAME=DIR; --side-configs NAME=LIST runs only some
# configurations on a side. The load generator for store, nostore and vlmcsd is the LoadTool of the
# last side (AFTER_DIR, or the last --side; BEFORE_DIR when it is the only one) unless --loadgen JAR
# names another, so the client side is identical; inproc necessarily uses each side's own jar.
# Every run is bounded (LoadTool --duration/--warmup plus a hard `timeout`) and stops by itself.
set -u -o pipefail

usage() {
  cat <<'EOF'
usage: kms-bench/compare-cpu.sh [options] BEFORE_DIR [AFTER_DIR]
  --side NAME=DIR         one more side (repeatable), run after before and after in every round;
                          NAME: [a-z0-9_-]+, not before or after
  --side-configs NAME=LIST
                          run only these configurations (comma list) on side NAME (default: all)
  --loadgen JAR           LoadTool jar for every external target (default: the last side's
                          benchmarks.jar)
  --syscalls LIST         also count these syscalls of the host (comma list, e.g. fdatasync,epoll_ctl)
                          with `perf stat -e syscalls:sys_enter_X -p PID` over the measured window
                          (this puts the host's syscalls on the traced path: use it for separate
                          runs, not for the CPU comparison)
  --vlmcsd HOST:PORT:PID  also drive this running peer (loopback only); PID is its process, for CPU
  --rounds R              interleaved rounds (default 3)
  --duration D            measured seconds per run (default 10, max 120)
  --warmup W              unmeasured warm-up seconds per run (default 3, max 60)
  --threads N             client threads = persistent connections (default 16)
  --configs LIST          comma-separated subset of store,nostore,inproc and the --host-config names
                          (default store,nostore,inproc followed by every --host-config name)
  --host-config NAME[@SIDE]=ARGS
                          an extra host configuration (repeatable): `kmsj host` with the extra
                          arguments ARGS (split on spaces), e.g. pcrash@after='--durability process-crash'.
                          A fresh --data-dir is added unless ARGS contains --no-store. With @SIDE (a
                          side name, or several joined by +) it runs on those sides only; without,
                          on all. NAME: [a-z0-9_-]+, not store, nostore, inproc or vlmcsd.
  --port P                first loopback port for the kmsj hosts (default 11699; each run takes the next)
  --out DIR               keep the raw logs and results.tsv here (default: a new /tmp/kmsj-compare.*)
  --help                  this text
Environment: HOST_JAVA_OPTS (default "-Xms1g -Xmx1g") for the kmsj host JVM,
             LT_JAVA_OPTS (default "-Xms1g -Xmx1g") for the LoadTool JVM.
If AFTER_DIR is the same directory as BEFORE_DIR both sides still run (an A/A check of the noise).
EOF
}

die() { echo "compare-cpu: $*" >&2; exit 2; }

ROUNDS=3 DURATION=10 WARMUP=3 THREADS=16 CONFIGS= PORT=11699 OUT= VLMCSD= LOADGEN= SYSCALLS=
POSITIONAL=() XSIDES=()
declare -A HC_ARGS=() HC_SIDE=()   # extra host configurations: NAME -> ARGS, NAME -> both or side1+side2...
declare -A SIDE_DIR=() SIDE_CONFIGS=()
HC_NAMES=()
add_host_config() {
  local spec=$1 name side args
  case "$spec" in *=*) ;; *) die "--host-config wants NAME[@SIDE]=ARGS" ;; esac
  name=${spec%%=*}; args=${spec#*=}; side=both
  case "$name" in *@*) side=${name#*@}; name=${name%%@*} ;; esac
  case "$side" in ''|*[!a-z0-9_+-]*) die "--host-config side must be side names joined by +" ;; esac
  case "$name" in ''|*[!a-z0-9_-]*) die "--host-config name must match [a-z0-9_-]+" ;; esac
  case "$name" in store|nostore|inproc|vlmcsd) die "--host-config name $name is reserved" ;; esac
  [ -z "${HC_ARGS[$name]+x}" ] || die "--host-config $name given twice"
  HC_ARGS[$name]=$args; HC_SIDE[$name]=$side; HC_NAMES+=("$name")
}
while [ $# -gt 0 ]; do
  case "$1" in
    --vlmcsd) VLMCSD=${2:?}; shift 2 ;;
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --duration) DURATION=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --threads) THREADS=${2:?}; shift 2 ;;
    --configs) CONFIGS=${2:?}; shift 2 ;;
    --host-config) add_host_config "${2:?}"; shift 2 ;;
    --side) XSIDES+=("${2:?}"); shift 2 ;;
    --side-configs) case "${2:?}" in *=*) SIDE_CONFIGS[${2%%=*}]=${2#*=} ;; *) die "--side-configs wants NAME=LIST" ;; esac; shift 2 ;;
    --loadgen) LOADGEN=${2:?}; shift 2 ;;
    --syscalls) SYSCALLS=${2:?}; shift 2 ;;
    --port) PORT=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) POSITIONAL+=("$1"); shift ;;
  esac
done
[ ${#POSITIONAL[@]} -ge 1 ] && [ ${#POSITIONAL[@]} -le 2 ] || { usage >&2; exit 2; }
BEFORE=$(cd "${POSITIONAL[0]}" && pwd) || die "no such directory ${POSITIONAL[0]}"
AFTER=
if [ ${#POSITIONAL[@]} -eq 2 ]; then AFTER=$(cd "${POSITIONAL[1]}" && pwd) || die "no such directory ${POSITIONAL[1]}"; fi
isint() { case "$1" in ''|*[!0-9]*) return 1 ;; *) return 0 ;; esac; }
isint "$ROUNDS" && [ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 20 ] || die "--rounds must be 1-20"
isint "$DURATION" && [ "$DURATION" -ge 1 ] && [ "$DURATION" -le 120 ] || die "--duration must be 1-120 (whole seconds)"
isint "$WARMUP" && [ "$WARMUP" -le 60 ] || die "--warmup must be 0-60 (whole seconds)"
isint "$THREADS" && [ "$THREADS" -ge 1 ] && [ "$THREADS" -le 256 ] || die "--threads must be 1-256"
isint "$PORT" && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65000 ] || die "--port must be 1024-65000"
[ -n "$CONFIGS" ] || { CONFIGS=store,nostore,inproc; for c in "${HC_NAMES[@]}"; do CONFIGS+=",$c"; done; }
for c in ${CONFIGS//,/ }; do
  case "$c" in store|nostore|inproc) ;;
    *) [ -n "${HC_ARGS[$c]+x}" ] || die "unknown config $c (store, nostore, inproc or a --host-config name)" ;;
  esac
done
SIDES=(before); SIDE_DIR[before]=$BEFORE
if [ -n "$AFTER" ]; then SIDES+=(after); SIDE_DIR[after]=$AFTER; fi
for x in "${XSIDES[@]}"; do
  case "$x" in *=*) ;; *) die "--side wants NAME=DIR" ;; esac
  n=${x%%=*}
  case "$n" in ''|*[!a-z0-9_-]*) die "--side name must match [a-z0-9_-]+" ;; esac
  [ -z "${SIDE_DIR[$n]+x}" ] || die "side $n given twice"
  SIDE_DIR[$n]=$(cd "${x#*=}" && pwd) || die "no such directory ${x#*=}"; SIDES+=("$n")
done
sidedir() { echo "${SIDE_DIR[$1]}"; }
for s in "${SIDES[@]}"; do
  d=$(sidedir "$s")
  [ -f "$d/kmsj.jar" ] && [ -f "$d/benchmarks.jar" ] || die "$d must contain kmsj.jar and benchmarks.jar"
done
for s in "${!SIDE_CONFIGS[@]}"; do
  [ -n "${SIDE_DIR[$s]+x}" ] || die "--side-configs: no side $s"
done
for c in "${HC_NAMES[@]}"; do
  [ "${HC_SIDE[$c]}" = both ] && continue
  for s in ${HC_SIDE[$c]//+/ }; do [ -n "${SIDE_DIR[$s]+x}" ] || die "--host-config $c: no side $s"; done
done
runs_on() {  # side config: does this config run on this side?
  local c
  if [ -n "${HC_SIDE[$2]+x}" ] && [ "${HC_SIDE[$2]}" != both ]; then
    case "+${HC_SIDE[$2]}+" in *"+$1+"*) ;; *) return 1 ;; esac
  fi
  [ -z "${SIDE_CONFIGS[$1]+x}" ] && return 0
  for c in ${SIDE_CONFIGS[$1]//,/ }; do [ "$c" = "$2" ] && return 0; done
  return 1
}
LT_JAR="$(sidedir "${SIDES[-1]}")/benchmarks.jar"   # the one load generator for every external target
if [ -n "$LOADGEN" ]; then LT_JAR=$(cd "$(dirname "$LOADGEN")" && pwd)/$(basename "$LOADGEN") || die "no $LOADGEN"; fi
[ -f "$LT_JAR" ] || die "no load generator $LT_JAR"
if [ -n "$SYSCALLS" ]; then
  case "$SYSCALLS" in *[!a-z0-9_,]*) die "--syscalls wants a comma list of syscall names" ;; esac
  command -v perf >/dev/null || die "--syscalls needs perf"
fi
VHOST= VPORT= VPID=
if [ -n "$VLMCSD" ]; then
  VPID=${VLMCSD##*:}; rest=${VLMCSD%:*}; VPORT=${rest##*:}; VHOST=${rest%:*}
  isint "$VPID" && isint "$VPORT" && [ -n "$VHOST" ] || die "--vlmcsd wants HOST:PORT:PID"
  case "$VHOST" in 127.*|localhost|::1|'[::1]') ;; *) die "--vlmcsd must be a loopback address" ;; esac
  [ -r "/proc/$VPID/stat" ] || die "no process $VPID for --vlmcsd"
fi
HOST_JAVA_OPTS=${HOST_JAVA_OPTS:--Xms1g -Xmx1g}
LT_JAVA_OPTS=${LT_JAVA_OPTS:--Xms1g -Xmx1g}
if [ -z "$OUT" ]; then OUT=$(mktemp -d /tmp/kmsj-compare.XXXXXX); else mkdir -p "$OUT"; fi
OUT=$(cd "$OUT" && pwd)
RESULTS="$OUT/results.tsv"
LT_TIMEOUT=$((DURATION + WARMUP + 60))       # hard stop of a LoadTool run

HOSTPID= HOSTTMP=
cleanup() {
  if [ -n "$HOSTPID" ] && kill -0 "$HOSTPID" 2>/dev/null; then
    kill -TERM "$HOSTPID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$HOSTPID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$HOSTPID" 2>/dev/null
  fi
  HOSTPID=
  [ -n "$HOSTTMP" ] && rm -rf -- "$HOSTTMP"
  HOSTTMP=
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

listening() { ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }

# tid<TAB>comm<TAB>utime+stime ticks for every thread of a process, then "-<TAB>(process)<TAB>ticks"
# for the whole process (which also holds the CPU of threads that have exited)
task_ticks() {
  local t s comm rest p
  p=$(cat "/proc/$1/stat" 2>/dev/null)
  for t in /proc/"$1"/task/*; do
    s=$(cat "$t/stat" 2>/dev/null) || continue
    comm=${s#*(}; comm=${comm%)*}; rest=${s##*) }
    # shellcheck disable=SC2086
    set -- $rest
    printf '%s\t%s\t%s\n' "${t##*/}" "$comm" $(( ${12} + ${13} ))
  done
  if [ -n "$p" ]; then
    rest=${p##*) }
    # shellcheck disable=SC2086
    set -- $rest
    printf -- '-\t(process)\t%s\n' $(( ${12} + ${13} ))
  fi
}

# share of the host's CPU by thread group between two task_ticks samples; "exited" is the CPU of
# threads that ended in between (a kmsj-store-compact thread, a compiler thread the JVM stopped): the
# process total minus the threads
thread_breakdown() {
  awk -F'\t' 'NR == FNR { b[$1] = $3; next }
    $1 == "-" { if ("-" in b) ptot = $3 - b["-"]; next }
    { d = $3 - ($1 in b ? b[$1] : 0); n = $2
      if (n ~ /^kmsj-server/) g = "event-loops"; else if (n ~ /^kmsj-store-comp/) g = "compact"
      else if (n ~ /^kmsj-store/) g = "store"
      else if (n ~ /^kmsj-/) g = "kmsj-other"; else if (n ~ /^(GC Thread|G1 )/) g = "gc"
      else if (n ~ /^(VM Thread|VM Periodic)/) g = "vm"
      else if (n ~ /Compiler/) g = "jit"; else g = "other"
      s[g] += d; tot += d }
    END { if (ptot > tot) { s["exited"] = ptot - tot; tot = ptot }
      if (tot <= 0) { print "n/a"; exit }
      split("event-loops store compact kmsj-other gc vm jit other exited", gs, " "); out = ""
      for (i = 1; i <= 9; i++) if (gs[i] in s) out = out sprintf("%s %.0f%% ", gs[i], 100 * s[gs[i]] / tot)
      print out }' "$1" "$2"
}

# run LoadTool; args: jar logfile [LoadTool args]; output goes to logfile
loadtool() {
  local jar=$1 log=$2; shift 2
  # shellcheck disable=SC2086
  timeout -k 5 "$LT_TIMEOUT" java $LT_JAVA_OPTS -cp "$jar" io.github.kmsj.bench.LoadTool \
    --mode persistent --threads "$THREADS" --duration "$DURATION" --warmup "$WARMUP" \
    --requests 10000000 "$@" >"$log" 2>&1
}

parse() {  # log -> "req/s<TAB>cpu_us<TAB>p50<TAB>p99<TAB>errors" or FAIL
  awk '/^throughput:/ { rps = $2 }
       /^server CPU:/ { for (i = 1; i <= NF; i++) if ($i ~ /^µs\/request/) cpu = $(i - 1) }
       /^latency/ { for (i = 1; i <= NF; i++) { if ($i == "p50") p50 = $(i + 1); if ($i == "p99") p99 = $(i + 1) } }
       /^requests:/ { err = $4 }
       END { if (rps == "" || cpu == "") print "FAIL"; else printf "%s\t%s\t%s\t%s\t%s\n", rps, cpu, p50, p99, err }' "$1"
}

RUN=0
record() {  # config side round fields extra
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$RESULTS"
  printf '%-16s %5s  %s  %s\n' "$1/$2" "$3" "$(printf '%s' "$4" | awk -F'\t' '{ if (NF < 5) print "FAILED"; else printf "%9.0f req/s  %7.1f µs/req  p50 %7.1f  p99 %8.1f  err %s", $1, $2, $3, $4, $5 }')" "$5"
}

run_host() {  # side round config(store|nostore|a --host-config name)
  local side=$1 round=$2 cfg=$3 dir port log hostlog ticks0 ticks1 fields extra
  dir=$(sidedir "$side"); RUN=$((RUN + 1)); port=$((PORT + RUN))
  log="$OUT/$side-$cfg-r$round.loadtool.log"; hostlog="$OUT/$side-$cfg-r$round.host.log"
  if listening "$port"; then record "$cfg" "$side" "$round" "FAIL" "port $port busy"; return; fi
  HOSTTMP=$(mktemp -d /tmp/kmsj-compare-host.XXXXXX)
  local store=(--data-dir "$HOSTTMP/data") extra_args=()
  [ "$cfg" = nostore ] && store=(--no-store)
  if [ -n "${HC_ARGS[$cfg]+x}" ]; then
    # shellcheck disable=SC2206
    extra_args=(${HC_ARGS[$cfg]})
    case " ${HC_ARGS[$cfg]} " in *" --no-store "*) store=() ;; esac
  fi
  # shellcheck disable=SC2086
  (cd "$HOSTTMP" && exec java $HOST_JAVA_OPTS -jar "$dir/kmsj.jar" host --listen "127.0.0.1:$port" \
     --allow 127.0.0.0/8 --log-level warn "${store[@]}" "${extra_args[@]}") >"$hostlog" 2>&1 &
  HOSTPID=$!
  for _ in $(seq 1 150); do   # up to 30 s to come up
    listening "$port" && break
    kill -0 "$HOSTPID" 2>/dev/null || break
    sleep 0.2
  done
  if ! listening "$port"; then
    record "$cfg" "$side" "$round" "FAIL" "host did not start, see $hostlog"; cleanup; return
  fi
  loadtool "$LT_JAR" "$log" --target "127.0.0.1:$port" --pid "$HOSTPID" &
  local ltpid=$!
  local t0="$OUT/$side-$cfg-r$round.tasks0" t1="$OUT/$side-$cfg-r$round.tasks1"
  sleep $((WARMUP + 1)); task_ticks "$HOSTPID" >"$t0"
  local perfpid= perflog="$OUT/$side-$cfg-r$round.syscalls" pwin=$((DURATION > 3 ? DURATION - 2 : 1))
  if [ -n "$SYSCALLS" ]; then
    local ev= sc
    for sc in ${SYSCALLS//,/ }; do ev="$ev${ev:+,}syscalls:sys_enter_$sc"; done
    timeout -k 2 $((pwin + 10)) perf stat -x, -e "$ev" -p "$HOSTPID" -- sleep "$pwin" 2>"$perflog" >/dev/null &
    perfpid=$!
  fi
  wait "$ltpid"; task_ticks "$HOSTPID" >"$t1"
  [ -n "$perfpid" ] && wait "$perfpid"
  extra="threads: $(thread_breakdown "$t0" "$t1")"
  if [ -n "$SYSCALLS" ]; then   # per second over the perf window, and requests per call at LoadTool's rate
    extra="$extra; $(awk -F, -v w="$pwin" -v rps="$(awk '/^throughput:/ { print $2 }' "$log")" '
      $3 ~ /^syscalls:sys_enter_/ { n = $3; sub(/^syscalls:sys_enter_/, "", n); r = $1 / w
        printf "%s %.0f/s (%.1f req each) ", n, r, (r > 0 && rps > 0) ? rps / r : 0 }' "$perflog")"
  fi
  [ -d "$HOSTTMP/data" ] && extra="$extra; store $(du -sh "$HOSTTMP/data" 2>/dev/null | cut -f1)"
  fields=$(parse "$log")
  cleanup
  record "$cfg" "$side" "$round" "$fields" "$extra"
}

run_inproc() {  # side round
  local side=$1 round=$2 log
  log="$OUT/$side-inproc-r$round.loadtool.log"
  loadtool "$(sidedir "$side")/benchmarks.jar" "$log"
  record inproc "$side" "$round" "$(parse "$log")" \
    "$(grep -o 'other CPU of this JVM[^=]*= [0-9.]* µs/request' "$log" | sed 's/ (GC, JIT, ...)//')"
}

run_vlmcsd() {  # round
  local log="$OUT/vlmcsd-r$1.loadtool.log"
  kill -0 "$VPID" 2>/dev/null || { record vlmcsd - "$1" FAIL "process $VPID gone"; return; }
  loadtool "$LT_JAR" "$log" --target "$VHOST:$VPORT" --pid "$VPID"
  record vlmcsd - "$1" "$(parse "$log")" ""
}

{
  echo "# compare-cpu.sh $(date -u '+%Y-%m-%dT%H:%M:%SZ')  nproc=$(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# before=$BEFORE after=${AFTER:-none} load generator=$LT_JAR vlmcsd=${VLMCSD:-none}"
  echo "# rounds=$ROUNDS duration=${DURATION}s warmup=${WARMUP}s threads=$THREADS configs=$CONFIGS"
  for c in "${HC_NAMES[@]}"; do echo "# host-config $c (${HC_SIDE[$c]}): ${HC_ARGS[$c]}"; done
  for s in "${!SIDE_CONFIGS[@]}"; do echo "# side $s runs only: ${SIDE_CONFIGS[$s]}"; done
  [ -n "$SYSCALLS" ] && echo "# syscalls counted with perf stat: $SYSCALLS"
  echo "# HOST_JAVA_OPTS=$HOST_JAVA_OPTS LT_JAVA_OPTS=$LT_JAVA_OPTS; java: $(java -version 2>&1 | head -1)"
  for s in "${SIDES[@]}"; do echo "# $s=$(sidedir "$s"): $(sha256sum "$(sidedir "$s")/kmsj.jar" "$(sidedir "$s")/benchmarks.jar" | cut -c1-12 | tr '\n' ' ')"; done
} | tee "$OUT/header.txt"
: >"$RESULTS"
echo
printf '%-16s %5s  %s\n' "config/side" round "req/s, server CPU per request, latency µs (p50, p99), errors; extra"
for r in $(seq 1 "$ROUNDS"); do
  for s in "${SIDES[@]}"; do
    for c in ${CONFIGS//,/ }; do
      runs_on "$s" "$c" || continue
      if [ "$c" = inproc ]; then run_inproc "$s" "$r"; else run_host "$s" "$r" "$c"; fi
    done
  done
  [ -n "$VLMCSD" ] && run_vlmcsd "$r"
  echo "#   round $r done, load: $(cut -d' ' -f1-3 /proc/loadavg)"
done

echo
echo "Medians over $ROUNDS rounds (failed runs left out), with min-max:"
awk -F'\t' -v hcs="${HC_NAMES[*]}" -v sidelist="${SIDES[*]}" '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n == 0 ? "" : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2)
  }
  function lo(list,   n, a, i, r) { n = split(list, a, " "); r = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 < r + 0) r = a[i]; return r }
  function hi(list,   n, a, i, r) { n = split(list, a, " "); r = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 > r + 0) r = a[i]; return r }
  NF >= 8 { k = $1 "/" $2; if (!(k in seen)) { seen[k] = 1; order[++nk] = k }
            rps[k] = rps[k] " " $4; cpu[k] = cpu[k] " " $5; p50[k] = p50[k] " " $6; p99[k] = p99[k] " " $7; n[k]++ }
  function ratio(side, a, b, text) {
    if ((a in m) && (b in m) && m[b] > 0) printf "  %-6s %-56s %6.3f\n", side, text, m[a] / m[b]
  }
  END {
    printf "%-16s %3s %10s %15s %14s %13s %9s %9s\n", "config/side", "n", "req/s", "(min-max)", "CPU µs/req", "(min-max)", "p50 µs", "p99 µs"
    for (i = 1; i <= nk; i++) { k = order[i]; m[k] = median(cpu[k])
      printf "%-16s %3d %10.0f %15s %14.1f %13s %9.1f %9.1f\n", k, n[k], median(rps[k]),
        sprintf("(%.0f-%.0f)", lo(rps[k]), hi(rps[k])), m[k], sprintf("(%.1f-%.1f)", lo(cpu[k]), hi(cpu[k])),
        median(p50[k]), median(p99[k]) }
    print ""
    print "Ratios of median server CPU per request:"
    ns = split(sidelist, sides, " ")
    for (si = 1; si <= ns; si++) { s = sides[si]
      ratio(s, "store/" s, "nostore/" s, "kmsj store / kmsj no store (both: whole host process)")
      ratio(s, "store/" s, "inproc/" s, "kmsj store (process) / in-process no store (loops only)")
      ratio(s, "nostore/" s, "inproc/" s, "kmsj no store (process) / in-process (loops only)")
      ratio(s, "store/" s, "vlmcsd/-", "kmsj store / vlmcsd (both: whole process)")
      ratio(s, "nostore/" s, "vlmcsd/-", "kmsj no store / vlmcsd (both: whole process)")
      ratio(s, "inproc/" s, "vlmcsd/-", "kmsj in-process (loops only) / vlmcsd (process)")
      nh = split(hcs, hc, " ")
      for (hi_ = 1; hi_ <= nh; hi_++) {
        ratio(s, hc[hi_] "/" s, "nostore/" s, "kmsj " hc[hi_] " / kmsj no store (both: whole host process)")
        ratio(s, hc[hi_] "/" s, "vlmcsd/-", "kmsj " hc[hi_] " / vlmcsd (both: whole process)")
      }
    }
    nc = split("store nostore inproc " hcs, cs, " ")
    for (sj = 2; sj <= ns; sj++) for (si = 1; si < sj; si++) for (ci = 1; ci <= nc; ci++)
      ratio("", cs[ci] "/" sides[sj], cs[ci] "/" sides[si], sides[sj] " / " sides[si] ", " cs[ci])
  }' "$RESULTS" | tee "$OUT/summary.txt"
echo
echo "raw logs and results.tsv: $OUT"
