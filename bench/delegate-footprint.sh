#!/usr/bin/env bash
# Delegate footprint benchmark: time from process start to "Connected", then (by default) 1,000 AWS lookups
# against moto_server and 1,000 shell scripts, and resident memory (VmRSS) right after that work and after an
# idle period, for each JVM configuration ("mode") asked for.
#
#   bash bench/delegate-footprint.sh                 # 3 runs per mode, 1,000 + 1,000 tasks, 60 s idle
#   RUNS=1 MODES="image shipped" bash bench/delegate-footprint.sh
#   AWS_TASKS=0 SCRIPT_TASKS=0 bash bench/delegate-footprint.sh   # idle only (the figures before issue 16)
#   DIAG_DIR=/tmp/fp bash bench/delegate-footprint.sh # also NMT summary, heap and metaspace after the idle period
#   MANAGER_URL=https://m.example ACCOUNT_ID=... DELEGATE_TOKEN=... AWS_TASKS=0 SCRIPT_TASKS=0 bash bench/delegate-footprint.sh
#
# Modes:
#   default     `java -jar` with no options at all
#   image       the delegate image's JAVA_OPTS on main before issue 16, in a 512 MiB task (-XX:MaxRAM=512m
#               stands in for the container's memory limit)
#   shell       the shell installer's JAVA_OPTS before issue 16
#   shipped     what the installers ship now: JAVA_TOOL_OPTIONS as written into the ECS task definition and
#               delegate.env (SHIPPED_OPTS below, kept equal to the Manager's DelegateJvmOptions by
#               DelegateJvmOptionsTest), with the installers' MALLOC_ARENA_MAX, in a 512 MiB task
#   recommended the container options of the first footprint study
#   https       no JVM tuning options, but the Manager speaks TLS, as in production (a self-signed
#               certificate added to a copy of the JDK's CA list, read through javax.net.ssl.trustStore)
# EXTRA_OPTS are added to every mode's command line (e.g. to try one more flag).
# Without MANAGER_URL it starts the testkit's fake Manager on 127.0.0.1 (bench's FootprintManager: 10 s
# heartbeats, 25 s polls, the Manager's defaults), plain and TLS, which hands each delegate the work when it
# registers; the AWS lookups go to a moto_server on 127.0.0.1 with dummy credentials. Everything it starts it
# stops again.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="${DELEGATE_JAR:-$ROOT/delegate/target/opendelegate-delegate.jar}"
BENCH_JAR="$ROOT/bench/target/opendelegate-bench.jar"
RUNS="${RUNS:-3}"
IDLE_SECONDS="${IDLE_SECONDS:-60}"
MODES="${MODES:-default image shipped}"
AWS_TASKS="${AWS_TASKS:-1000}"
SCRIPT_TASKS="${SCRIPT_TASKS:-1000}"
EXTRA_OPTS="${EXTRA_OPTS:-}"
DIAG_DIR="${DIAG_DIR:-}"
RECOMMENDED_OPTS="${RECOMMENDED_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:MaxRAM=512m -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=32m}"
IMAGE_OPTS="-XX:MaxRAM=512m -XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:+ExitOnOutOfMemoryError"
SHELL_OPTS="-Xms32m -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:+ExitOnOutOfMemoryError"
SHIPPED_OPTS="${SHIPPED_OPTS:--XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:MaxNewSize=4m -XX:TieredStopAtLevel=1 -Xss256k -XX:ReservedCodeCacheSize=32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:-ShrinkHeapInSteps -XX:TrimNativeHeapInterval=10000 -XX:+ExitOnOutOfMemoryError}"
# The installers also set MALLOC_ARENA_MAX in the delegate's environment (DelegateJvmOptions.MALLOC_ARENA_MAX).
SHIPPED_MALLOC_ARENA_MAX="${SHIPPED_MALLOC_ARENA_MAX:-2}"
WORK="$(mktemp -d)"
PIDS=()

cleanup() {
  # Delegates started inside $(one_run ...) are listed in a file: a subshell cannot add to PIDS.
  for pid in "${PIDS[@]:-}" $(cat "$WORK/delegate.pids" 2>/dev/null); do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

if [ ! -f "$JAR" ]; then
  echo "building $JAR" >&2
  (cd "$ROOT" && mvn -B -q -pl protocol,delegate-spi,delegate -am package -DskipTests)
fi
if [ ! -f "$BENCH_JAR" ]; then
  echo "building $BENCH_JAR" >&2
  (cd "$ROOT" && mvn -B -q -pl bench -am package -DskipTests)
fi

# Starts a fake Manager on a free port (extra arguments: keystore and password for TLS) and sets
# FAKE_PORT. Called directly, not in $(...), so that its PID reaches the cleanup list.
start_fake_manager() {
  local log
  FAKE_PORT="$(free_port)"
  log="$WORK/fake-manager-$FAKE_PORT.log"
  if [ $# -gt 0 ]; then FAKE_LOGS["https://127.0.0.1:$FAKE_PORT"]="$log"; else FAKE_LOGS["http://127.0.0.1:$FAKE_PORT"]="$log"; fi
  java -cp "$BENCH_JAR" org.opendelegate.bench.FootprintManager "$FAKE_PORT" 10000 25000 "$@" > "$log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 1 300); do
    grep -q "listening" "$log" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "listening" "$log" || { cat "$log" >&2; echo "fake Manager did not start" >&2; exit 1; }
}

# moto_server for the AWS lookups: the delegate's default credential chain reads the dummy keys from the
# environment, and every SDK client goes to AWS_ENDPOINT_URL. FOOTPRINT_VPC_ID lets the fake Manager ask for
# the subnets and security groups of moto's default VPC too.
if [ -z "${MANAGER_URL:-}" ] && [ "$AWS_TASKS" -gt 0 ]; then
  MOTO_PORT="$(free_port)"
  moto_server -H 127.0.0.1 -p "$MOTO_PORT" > "$WORK/moto.log" 2>&1 &
  PIDS+=("$!")
  export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
    AWS_REGION=us-east-1 AWS_MAX_ATTEMPTS=1
  for _ in $(seq 1 300); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $MOTO_PORT), 1)" 2>/dev/null && break
    sleep 0.1
  done
  FOOTPRINT_VPC_ID="$(aws ec2 describe-vpcs --endpoint-url "$AWS_ENDPOINT_URL" --region us-east-1 \
    --query 'Vpcs[?IsDefault].VpcId' --output text)"
  for i in 1 2 3 4 5; do
    aws ecs create-cluster --endpoint-url "$AWS_ENDPOINT_URL" --region us-east-1 --cluster-name "bench-$i" > /dev/null
  done
  export FOOTPRINT_VPC_ID
fi
export FOOTPRINT_AWS_TASKS="$AWS_TASKS" FOOTPRINT_SCRIPT_TASKS="$SCRIPT_TASKS"

TLS_URL=""
declare -A FAKE_LOGS
if [ -z "${MANAGER_URL:-}" ]; then
  start_fake_manager
  export MANAGER_URL="http://127.0.0.1:$FAKE_PORT" ACCOUNT_ID="bench" DELEGATE_TOKEN="bench-token"
  if [[ " $MODES " == *" https "* ]]; then
    keytool -genkeypair -alias manager -keyalg EC -groupname secp256r1 -validity 2 -dname CN=127.0.0.1 \
      -ext SAN=ip:127.0.0.1 -storetype PKCS12 -keystore "$WORK/manager.p12" -storepass changeit > /dev/null 2>&1
    # The delegate trusts the JDK's own CA list plus this certificate, read without a password as the
    # default trust store is: the start-up cost of the ~140 CAs is part of what production pays.
    java_home="$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.home/ {print $2}')"
    cp "$(readlink -f "$java_home/lib/security/cacerts")" "$WORK/trust.store"
    keytool -exportcert -alias manager -keystore "$WORK/manager.p12" -storepass changeit -file "$WORK/manager.crt" > /dev/null 2>&1
    keytool -importcert -noprompt -alias bench-manager -file "$WORK/manager.crt" -keystore "$WORK/trust.store" \
      -storepass changeit > /dev/null 2>&1
    start_fake_manager "$WORK/manager.p12" changeit
    TLS_URL="https://127.0.0.1:$FAKE_PORT"
  fi
fi
export DELEGATE_GROUP_NAME="${DELEGATE_GROUP_NAME:-bench}"

now_ms() { date +%s%3N; }

# Prints "connect_ms work_ms rss_after_work_kib rss_idle_kib threads connect_cpu_ms" for one run of the delegate
# with the given JVM options (on the command line), JAVA_TOOL_OPTIONS and MALLOC_ARENA_MAX (none when empty),
# against the given Manager. work_ms and
# the first RSS are 0 when no work is handed out. connect_cpu_ms is the CPU time (user + system, all threads) the
# JVM had used when it logged "Connected": on a shared machine far steadier than the wall-clock time.
one_run() {
  local opts="$1" tool_opts="$2" url="$3" name="$4" arenas="$5" log="$WORK/delegate.log" start pid connected_at="" connect_cpu_ms=0
  local manager_log="${FAKE_LOGS[$url]:-}" works_before=0 work_ms=0 rss_work=0
  [ -n "$manager_log" ] && works_before="$(grep -c "^work done" "$manager_log" || true)"
  export DELEGATE_HEALTH_PORT="$(free_port)"
  if [ -n "$DIAG_DIR" ]; then opts="$opts -XX:NativeMemoryTracking=summary"; fi
  start="$(now_ms)"
  # shellcheck disable=SC2086 # the options are meant to split into words
  env ${arenas:+MALLOC_ARENA_MAX="$arenas"} MANAGER_URL="$url" JAVA_TOOL_OPTIONS="$tool_opts" java $opts -jar "$JAR" > "$log" 2>&1 &
  pid=$!
  echo "$pid" >> "$WORK/delegate.pids"
  for _ in $(seq 1 3000); do
    if grep -q "Connected to" "$log"; then
      connected_at="$(now_ms)"
      connect_cpu_ms="$(awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' "/proc/$pid/stat")"
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  if [ -z "$connected_at" ]; then
    kill "$pid" 2>/dev/null || true
    cat "$log" >&2; echo "the delegate did not connect" >&2; exit 1
  fi
  if [ -n "$manager_log" ] && [ $((AWS_TASKS + SCRIPT_TASKS)) -gt 0 ]; then
    until [ "$(grep -c "^work done" "$manager_log" || true)" -gt "$works_before" ]; do
      kill -0 "$pid" 2>/dev/null || { tail -50 "$log" >&2; echo "the delegate died during the work" >&2; exit 1; }
      sleep 0.5
    done
    work_ms="$(grep "^work done" "$manager_log" | tail -1 | sed -E 's/.* in ([0-9]+) ms.*/\1/')"
    echo "    $(grep "^work done" "$manager_log" | tail -1)" >&2
    grep "^first failure" "$manager_log" | tail -1 | cut -c1-400 >&2 || true
    rss_work="$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")"
  fi
  sleep "$IDLE_SECONDS"
  local rss threads
  rss="$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")"
  threads="$(ls "/proc/$pid/task" | wc -l)"
  if [ -n "$DIAG_DIR" ]; then
    mkdir -p "$DIAG_DIR"
    { echo "== $name: $opts JAVA_TOOL_OPTIONS=$tool_opts"; echo "VmRSS $rss KiB"
      grep -E '^(RssAnon|RssFile|RssShmem)' "/proc/$pid/status"
      env -u JAVA_TOOL_OPTIONS jcmd "$pid" GC.heap_info
      env -u JAVA_TOOL_OPTIONS jcmd "$pid" VM.native_memory summary
      env -u JAVA_TOOL_OPTIONS jcmd "$pid" GC.class_histogram | head -25
    } > "$DIAG_DIR/$name-$pid.txt" 2>&1 || true
  fi
  kill -TERM "$pid"
  wait "$pid" || true
  echo "$((connected_at - start)) $work_ms $rss_work $rss $threads $connect_cpu_ms"
}

# Prints "median min max" of the numbers on stdin.
stats() {
  sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
echo "java:    $(java -version 2>&1 | head -2 | tail -1)"
echo "jar:     $JAR ($(du -k "$JAR" | cut -f1) KiB)"
echo "manager: $MANAGER_URL ${TLS_URL:+and $TLS_URL }; $RUNS runs per mode; RSS read after $IDLE_SECONDS s idle"
echo "work:    $AWS_TASKS AWS lookups (moto_server) and $SCRIPT_TASKS shell scripts per run; load average $(cut -d' ' -f1-3 /proc/loadavg)"
mib() { awk "BEGIN {printf \"%.1f\", $1 / 1024}"; }
for mode in $MODES; do
  opts=""
  tool_opts=""
  arenas=""
  url="$MANAGER_URL"
  case "$mode" in
    default) ;;
    image) opts="$IMAGE_OPTS" ;;
    shell) opts="$SHELL_OPTS" ;;
    shipped) opts="-XX:MaxRAM=512m"; tool_opts="$SHIPPED_OPTS"; arenas="$SHIPPED_MALLOC_ARENA_MAX" ;;
    recommended) opts="$RECOMMENDED_OPTS" ;;
    https)
      [ -n "$TLS_URL" ] || { echo "https mode needs the local fake Manager; skipped"; continue; }
      opts="-Djavax.net.ssl.trustStore=$WORK/trust.store"
      url="$TLS_URL" ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
  opts="$opts $EXTRA_OPTS"
  : > "$WORK/results"
  for i in $(seq 1 "$RUNS"); do
    result="$(one_run "$opts" "$tool_opts" "$url" "$mode-$i" "$arenas")"
    read -r c w rw ri th cpu <<< "$result"
    echo "  $mode run $i: connected after $c ms ($cpu ms CPU); work $w ms, VmRSS right after it $(mib "$rw") MiB;" \
         "VmRSS after $IDLE_SECONDS s idle $(mib "$ri") MiB; $th threads; load $(cut -d' ' -f1 /proc/loadavg)"
    echo "$result" >> "$WORK/results"
  done
  read -r cm cmin cmax < <(cut -d' ' -f1 "$WORK/results" | stats)
  read -r wm wmin wmax < <(cut -d' ' -f3 "$WORK/results" | stats)
  read -r rm rmin rmax < <(cut -d' ' -f4 "$WORK/results" | stats)
  read -r um umin umax < <(cut -d' ' -f6 "$WORK/results" | stats)
  echo "$mode (java $(echo $opts) ${tool_opts:+JAVA_TOOL_OPTIONS=\"$tool_opts\"} ${arenas:+MALLOC_ARENA_MAX=$arenas} -jar, $url): time to Connected median $cm ms" \
       "(min $cmin, max $cmax), CPU to Connected median $um ms (min $umin, max $umax); VmRSS after work median $(mib "$wm") MiB (min $(mib "$wmin"), max $(mib "$wmax"));" \
       "after $IDLE_SECONDS s idle median $(mib "$rm") MiB (min $(mib "$rmin"), max $(mib "$rmax"))"
done
