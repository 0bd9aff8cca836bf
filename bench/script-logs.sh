#!/usr/bin/env bash
# Script logs end to end with a real delegate: latency from a line a script writes to the same line at a
# Server-Sent-Events follower, and sustained throughput of one script's output into the store (checked line for
# line). Usage: bash bench/script-logs.sh [latency-lines, default 500] [megabytes, default 50] [line bytes, default 1000]
# The throughput run raises the per-delegate line rate and the per-task log size so that they do not cap it;
# LINES_PER_SECOND=2000 (the default limit) shows what the limit allows.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LINES="${1:-500}"
MEGABYTES="${2:-50}"
LINE_BYTES="${3:-1000}"
build_if_needed
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ); load: $(cut -d' ' -f1-3 /proc/loadavg)"
start_manager h2 OPENDELEGATE_LOG_LINES_PER_SECOND_PER_DELEGATE="${LINES_PER_SECOND:-1000000}" \
  OPENDELEGATE_TASK_LOG_MAX_BYTES=1GiB
DELEGATE_LOG="$BENCH_WORK/script-logs-delegate.log"
MANAGER_URL="$MANAGER_URL" ACCOUNT_ID=$ACCOUNT_ID DELEGATE_TOKEN=$DELEGATE_TOKEN DELEGATE_NAME=bench-logs DELEGATE_GROUP_NAME=bench-logs \
  DELEGATE_HEALTH_PORT=0 DELEGATE_WORK_DIR="$BENCH_WORK/script-logs-delegate" \
  java -jar "$DELEGATE_JAR" >"$DELEGATE_LOG" 2>&1 &
DELEGATE_PID=$!
trap 'kill -TERM $DELEGATE_PID 2>/dev/null; wait $DELEGATE_PID 2>/dev/null; stop_manager' EXIT
for _ in $(seq 1 60); do grep -q "Connected to" "$DELEGATE_LOG" && break; sleep 0.5; done
java -cp "$BENCH_JAR" org.opendelegate.bench.ScriptLogBench "$MANAGER_URL" "$API_KEY" "$ACCOUNT_ID" "$DELEGATE_TOKEN" "$LINES" "$MEGABYTES" "$LINE_BYTES"
