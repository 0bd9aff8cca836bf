#!/usr/bin/env bash
# End-to-end throughput of no-op tasks through 4 real delegate processes, on H2 and on PostgreSQL.
# Usage: bash bench/throughput.sh [tasks, default 20000] [concurrency, default 64] [warm-up tasks, default tasks/4]
#        [tasks per request, default 1; above 1 through POST /api/v1/tasks/batch]
# STORES="h2" runs one store only. The Manager is pinned to MANAGER_CPUS, delegates and driver to LOAD_CPUS.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TASKS="${1:-20000}"
CONCURRENCY="${2:-64}"
WARMUP="${3:-$((TASKS / 4))}"
BATCH="${4:-1}"
build_if_needed
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ)"
for store in ${STORES:-h2 pg}; do
  start_manager "$store"
  pids=()
  for i in 1 2 3 4; do
    MANAGER_URL="$MANAGER_URL" ACCOUNT_ID=$ACCOUNT_ID DELEGATE_TOKEN=$DELEGATE_TOKEN DELEGATE_GROUP_NAME=bench \
      DELEGATE_NAME="bench-$i" DELEGATE_CAPACITY=64 DELEGATE_HEALTH_PORT=0 \
      taskset -c "$LOAD_CPUS" java -jar "$DELEGATE_JAR" >"$BENCH_WORK/delegate-$store-$i.log" 2>&1 &
    pids+=($!)
  done
  for i in 1 2 3 4; do
    for _ in $(seq 1 100); do grep -q "Connected to" "$BENCH_WORK/delegate-$store-$i.log" 2>/dev/null && break; sleep 0.1; done
  done
  printf '%s: ' "$store"
  # shellcheck disable=SC2046 # the properties are meant to split into words
  load_java $(cpu_props) -cp "$BENCH_JAR" org.opendelegate.bench.ThroughputBench "$MANAGER_URL" "$API_KEY" "$ACCOUNT_ID" "$DELEGATE_TOKEN" "$TASKS" "$CONCURRENCY" "$WARMUP" "$BATCH"
  # What limits it: CPU time each process used over the whole run (warm-up included), and the load.
  echo "  CPU time (h:mm:ss) by process: manager $(ps -o time= -p "$MANAGER_PID" | tr -d ' '), delegates" \
    "$(ps -o time= -p "$(IFS=,; echo "${pids[*]}")" | tr -d ' ' | paste -sd' ');" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  stop_manager
done
