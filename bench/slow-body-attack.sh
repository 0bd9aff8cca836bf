#!/usr/bin/env bash
# The slow-body attack (300 connections to POST /login declaring 100 KB, one byte every 5 s, 60 s) while
# /healthz, a delegate registration and a heartbeat are measured; loopback only, bounded. The Manager is
# pinned to core 0, the attacker and the measuring client to core 1.
# Usage: bash bench/slow-body-attack.sh [attackers, default 300] [seconds, default 60] [manager jar]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ATTACKERS="${1:-300}"
SECONDS_UNDER_ATTACK="${2:-60}"
MANAGER_JAR="${3:-$MANAGER_JAR}"
build_if_needed
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ); manager: $MANAGER_JAR"
start_manager h2
taskset -pc 0 "$MANAGER_PID" >/dev/null
trap stop_manager EXIT
taskset -c 1 java -cp "$BENCH_JAR" org.opendelegate.bench.SlowBodyAttackBench \
  "$MANAGER_URL" "$API_KEY" "$ACCOUNT_ID" "$DELEGATE_TOKEN" "$ATTACKERS" "$SECONDS_UNDER_ATTACK"
echo "Manager CPU time (user+sys, s): $(awk '{print ($14+$15)/100}' /proc/$MANAGER_PID/stat)"
echo "Manager threads at the end: $(ls /proc/$MANAGER_PID/task | wc -l)"
