#!/usr/bin/env bash
# How the embedded (H2) store's file grows under a steady trickle of tasks, each a few one-task commits: the file's
# size every 15 s. Compare jars with MANAGER_JAR=... The Manager is pinned to MANAGER_CPUS, the driver to LOAD_CPUS.
# Usage: bash bench/store-growth.sh [seconds, default 300] [tasks a second, default 50]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SECONDS_TO_RUN="${1:-300}"
PER_SECOND="${2:-50}"
build_if_needed
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ); manager: $MANAGER_JAR"
start_manager h2
trap stop_manager EXIT
load_java -cp "$BENCH_JAR" org.opendelegate.bench.StoreGrowthBench "$MANAGER_URL" "$API_KEY" "$ACCOUNT_ID" \
  "$DELEGATE_TOKEN" "$MANAGER_DATA/opendelegate.mv.db" "$SECONDS_TO_RUN" "$PER_SECOND"
