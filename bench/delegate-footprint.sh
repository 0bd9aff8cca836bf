#!/usr/bin/env bash
# Delegate footprint benchmark: time from process start to "Connected", and resident memory (VmRSS)
# after an idle period, for a plain `java -jar` and for the JVM options recommended for containers.
#
#   bash bench/delegate-footprint.sh                 # 5 runs per mode, 60 s idle, against a local fake Manager
#   RUNS=3 IDLE_SECONDS=30 bash bench/delegate-footprint.sh
#   MANAGER_URL=https://m.example ACCOUNT_ID=... DELEGATE_TOKEN=... bash bench/delegate-footprint.sh
#   MODES="default" bash bench/delegate-footprint.sh # only the plain java -jar
#
# Modes: default = `java -jar` with no options at all; recommended = the container options below;
# https = no JVM tuning options, but the Manager speaks TLS, as in production (a self-signed certificate
# added to a copy of the JDK's CA list, which the delegate reads through javax.net.ssl.trustStore).
# Without MANAGER_URL it starts the testkit's fake Manager on 127.0.0.1 (bench's FootprintManager: 10 s
# heartbeats, 25 s polls, the Manager's defaults), plain and TLS. Everything it starts it stops again.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="${DELEGATE_JAR:-$ROOT/delegate/target/opendelegate-delegate.jar}"
BENCH_JAR="$ROOT/bench/target/opendelegate-bench.jar"
RUNS="${RUNS:-5}"
IDLE_SECONDS="${IDLE_SECONDS:-60}"
MODES="${MODES:-default recommended https}"
RECOMMENDED_OPTS="${RECOMMENDED_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:MaxRAM=512m -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=32m}"
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
  java -cp "$BENCH_JAR" org.opendelegate.bench.FootprintManager "$FAKE_PORT" 10000 25000 "$@" > "$log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 1 300); do
    grep -q "listening" "$log" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "listening" "$log" || { cat "$log" >&2; echo "fake Manager did not start" >&2; exit 1; }
}

TLS_URL=""
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

# Prints "connect_ms rss_kib threads" for one run of the delegate with the given JVM options and Manager.
one_run() {
  local opts="$1" url="$2" log="$WORK/delegate.log" start pid connected_at=""
  export DELEGATE_HEALTH_PORT="$(free_port)"
  start="$(now_ms)"
  # shellcheck disable=SC2086 # the options are meant to split into words
  MANAGER_URL="$url" java $opts -jar "$JAR" > "$log" 2>&1 &
  pid=$!
  echo "$pid" >> "$WORK/delegate.pids"
  for _ in $(seq 1 3000); do
    if grep -q "Connected to" "$log"; then connected_at="$(now_ms)"; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  if [ -z "$connected_at" ]; then
    kill "$pid" 2>/dev/null || true
    cat "$log" >&2; echo "the delegate did not connect" >&2; exit 1
  fi
  sleep "$IDLE_SECONDS"
  local rss threads
  rss="$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")"
  threads="$(ls "/proc/$pid/task" | wc -l)"
  kill -TERM "$pid"
  wait "$pid" || true
  echo "$((connected_at - start)) $rss $threads"
}

# Prints "median min max" of the numbers on stdin.
stats() {
  sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
echo "java:    $(java -version 2>&1 | head -2 | tail -1)"
echo "jar:     $JAR ($(du -k "$JAR" | cut -f1) KiB)"
echo "manager: $MANAGER_URL ${TLS_URL:+and $TLS_URL }; $RUNS runs per mode; RSS read after $IDLE_SECONDS s idle"
for mode in $MODES; do
  opts=""
  url="$MANAGER_URL"
  case "$mode" in
    default) ;;
    recommended) opts="$RECOMMENDED_OPTS" ;;
    https)
      [ -n "$TLS_URL" ] || { echo "https mode needs the local fake Manager; skipped"; continue; }
      opts="-Djavax.net.ssl.trustStore=$WORK/trust.store"
      url="$TLS_URL" ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
  : > "$WORK/results"
  for i in $(seq 1 "$RUNS"); do
    result="$(one_run "$opts" "$url")"
    echo "  $mode run $i: connected after $(echo "$result" | cut -d' ' -f1) ms, VmRSS $(echo "$result" | cut -d' ' -f2) KiB, $(echo "$result" | cut -d' ' -f3) threads"
    echo "$result" >> "$WORK/results"
  done
  read -r cm cmin cmax < <(cut -d' ' -f1 "$WORK/results" | stats)
  read -r rm rmin rmax < <(cut -d' ' -f2 "$WORK/results" | stats)
  echo "$mode (java ${opts:-with no options} -jar, $url): time to Connected median $cm ms (min $cmin, max $cmax);" \
       "idle VmRSS median $(awk "BEGIN {printf \"%.1f\", $rm / 1024}") MiB (min $(awk "BEGIN {printf \"%.1f\", $rmin / 1024}")," \
       "max $(awk "BEGIN {printf \"%.1f\", $rmax / 1024}"))"
done
