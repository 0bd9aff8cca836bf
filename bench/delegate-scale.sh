#!/usr/bin/env bash
# How many simulated delegates (heartbeat every 10 s + an open long poll) one Manager holds, with the p99
# heartbeat latency at each step. Usage: bash bench/delegate-scale.sh [steps, default 1000,2500,5000,10000] [window seconds, default 30]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STEPS="${1:-1000,2500,5000,10000}"
WINDOW="${2:-30}"
build_if_needed
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ)"
start_manager "${STORE:-h2}"
trap stop_manager EXIT
java -Xmx2g -cp "$BENCH_JAR" org.opendelegate.bench.DelegateScaleBench "$MANAGER_URL" "$API_KEY" "$ACCOUNT_ID" "$DELEGATE_TOKEN" "$WINDOW" "$STEPS"
