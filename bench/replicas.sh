#!/usr/bin/env bash
# Several Managers on one PostgreSQL (issue 15).
#  1. Dispatch latency, one task at a time, one simulated delegate: submitter and delegate on the same
#     replica vs submitter on replica A and delegate long-polling on replica B (the wake-up crosses replicas
#     through the database).
#  2. Throughput of no-op tasks through HAProxy (round-robin) with 4 real delegate processes, with 1 and with
#     3 replicas on PostgreSQL, and the CPU each replica used per task (utime+stime from /proc/<pid>/stat,
#     read before and after the measured round; the warm-up round is not counted).
# Usage: bash bench/replicas.sh [tasks, default 10000] [latency samples per series, default 400]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TASKS="${1:-10000}"
SAMPLES="${2:-400}"
CLK_TCK=$(getconf CLK_TCK)
MASTER_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
build_if_needed
command -v haproxy >/dev/null || { echo "needs haproxy (apt-get install haproxy)" >&2; exit 1; }
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ)"

REPLICA_PIDS=() REPLICA_URLS=() OTHER_PIDS=()
stop_all() {
  kill -TERM "${OTHER_PIDS[@]}" "${REPLICA_PIDS[@]}" 2>/dev/null || true
  wait "${OTHER_PIDS[@]}" "${REPLICA_PIDS[@]}" 2>/dev/null || true
  REPLICA_PIDS=() REPLICA_URLS=() OTHER_PIDS=()
  if [ -n "${SCHEMA:-}" ]; then
    psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true
    SCHEMA=
  fi
}
trap stop_all EXIT

await_ready() {
  for _ in $(seq 1 240); do curl -fs "$1/readyz" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "$1 is not ready" >&2; exit 1
}

# start_replicas N: N Managers on a fresh schema; the first alone (it migrates), then the others.
start_replicas() {
  SCHEMA="bench_replicas_$$_$1"
  for i in $(seq 1 "$1"); do
    local port; port=$(free_port)
    local data="$BENCH_WORK/replicas-$SCHEMA-$i"
    rm -rf "$data"; mkdir -p "$data"
    OPENDELEGATE_DB_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$SCHEMA" OPENDELEGATE_DB_USER=postgres \
      OPENDELEGATE_MASTER_KEY="$MASTER_KEY" OPENDELEGATE_PORT="$port" OPENDELEGATE_BIND_HOST=127.0.0.1 \
      OPENDELEGATE_DATA_DIR="$data" OPENDELEGATE_ACCOUNT_ID=$ACCOUNT_ID OPENDELEGATE_ADMIN_API_KEY=$API_KEY \
      OPENDELEGATE_DELEGATE_TOKEN=$DELEGATE_TOKEN \
      java ${MANAGER_JAVA_OPTS:--Xmx1g} -jar "$MANAGER_JAR" >"$data/manager.log" 2>&1 &
    REPLICA_PIDS+=($!)
    REPLICA_URLS+=("http://127.0.0.1:$port")
    [ "$i" = 1 ] && await_ready "http://127.0.0.1:$port"
  done
  for url in "${REPLICA_URLS[@]}"; do await_ready "$url"; done
}

# start_haproxy: round-robin over the replicas, as ./opendelegate up --replicas does; sets LB_URL.
start_haproxy() {
  local port; port=$(free_port)
  local cfg="$BENCH_WORK/haproxy-$port.cfg"
  {
    printf 'global\n  maxconn 4096\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 60s\n'
    printf '  timeout server 60s\n  timeout http-keep-alive 60s\nfrontend fe\n  bind 127.0.0.1:%s\n' "$port"
    printf '  default_backend managers\nbackend managers\n  balance roundrobin\n  option httpchk\n'
    printf '  http-check send meth GET uri /readyz\n  default-server inter 1s fall 2 rise 2\n'
    local i=1
    for url in "${REPLICA_URLS[@]}"; do printf '  server replica-%s %s check\n' "$i" "${url#http://}"; i=$((i + 1)); done
  } >"$cfg"
  haproxy -db -f "$cfg" >"$cfg.log" 2>&1 &
  OTHER_PIDS+=($!)
  LB_URL="http://127.0.0.1:$port"
  await_ready "$LB_URL"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

echo "== dispatch latency across replicas (2 replicas, 1 delegate, $SAMPLES samples per series)"
start_replicas 2
java -cp "$BENCH_JAR" org.opendelegate.bench.ReplicaDispatchLatencyBench "${REPLICA_URLS[0]}" "${REPLICA_URLS[1]}" \
  "$API_KEY" "$ACCOUNT_ID" "$DELEGATE_TOKEN" "$SAMPLES"
stop_all

for n in 1 3; do
  echo "== throughput through HAProxy, $n replica(s), 4 delegates (capacity 64 each), $TASKS tasks, concurrency 64"
  start_replicas "$n"
  start_haproxy
  for i in 1 2 3 4; do
    MANAGER_URL="$LB_URL" ACCOUNT_ID=$ACCOUNT_ID DELEGATE_TOKEN=$DELEGATE_TOKEN DELEGATE_GROUP_NAME=bench \
      DELEGATE_NAME="bench-$i" DELEGATE_CAPACITY=64 DELEGATE_HEALTH_PORT=0 \
      java -jar "$DELEGATE_JAR" >"$BENCH_WORK/replicas-delegate-$n-$i.log" 2>&1 &
    OTHER_PIDS+=($!)
  done
  for i in 1 2 3 4; do
    for _ in $(seq 1 200); do grep -q "Connected to" "$BENCH_WORK/replicas-delegate-$n-$i.log" 2>/dev/null && break; sleep 0.1; done
  done
  printf 'warm-up: '
  java -cp "$BENCH_JAR" org.opendelegate.bench.ThroughputBench "$LB_URL" "$API_KEY" "$ACCOUNT_ID" "$DELEGATE_TOKEN" "$((TASKS / 4))" 64 0
  before=(); for p in "${REPLICA_PIDS[@]}"; do before+=("$(cpu_ticks "$p")"); done
  java -cp "$BENCH_JAR" org.opendelegate.bench.ThroughputBench "$LB_URL" "$API_KEY" "$ACCOUNT_ID" "$DELEGATE_TOKEN" "$TASKS" 64 0
  total=0
  for i in "${!REPLICA_PIDS[@]}"; do
    used=$(( $(cpu_ticks "${REPLICA_PIDS[$i]}") - ${before[$i]} ))
    total=$((total + used))
    awk -v t="$used" -v hz="$CLK_TCK" -v n="$TASKS" -v i="$((i + 1))" \
      'BEGIN { printf "  replica %d: CPU %.1f s, %.2f ms per task\n", i, t / hz, t / hz * 1000 / n }'
  done
  awk -v t="$total" -v hz="$CLK_TCK" -v n="$TASKS" \
    'BEGIN { printf "  all replicas: CPU %.1f s, %.2f ms per task\n", t / hz, t / hz * 1000 / n }'
  echo "  load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  stop_all
done
