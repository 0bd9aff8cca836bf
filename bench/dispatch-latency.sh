#!/usr/bin/env bash
# Dispatch latency (task submitted -> delegate holds it) with 1 and 50 delegates, next to a bare HTTP round
# trip on the same server. Usage: bash bench/dispatch-latency.sh [tasks-per-run, default 2000]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TASKS="${1:-2000}"
build_if_needed
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ)"
start_manager h2
trap stop_manager EXIT
java -cp "$BENCH_JAR" org.opendelegate.bench.DispatchLatencyBench "$MANAGER_URL" "$API_KEY" "$ACCOUNT_ID" "$DELEGATE_TOKEN" "$TASKS"
