#!/usr/bin/env bash
# Dispatch latency (task submitted -> delegate holds it) with 1 and 50 delegates, next to a bare HTTP round
# trip on the same server, and the Manager's CPU per task. Each series twice: idle (the next task once the previous
# task's outcome report was answered: the target's measure) and back to back (the next task as soon as the previous
# one reached its delegate, sharing the Manager's core with that task's outcome report). The warm-up runs each
# series' shape with half as many tasks first, so that no measured series pays for the JIT compiling its paths.
# Usage: bash bench/dispatch-latency.sh [tasks-per-run, default 2000]
# STORE=pg measures on PostgreSQL. The Manager is pinned to MANAGER_CPUS, the driver to LOAD_CPUS (lib.sh).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TASKS="${1:-2000}"
build_if_needed
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ)"
start_manager "${STORE:-h2}"
trap stop_manager EXIT
# shellcheck disable=SC2046 # the properties are meant to split into words
load_java $(cpu_props) -cp "$BENCH_JAR" org.opendelegate.bench.DispatchLatencyBench "$MANAGER_URL" "$API_KEY" "$ACCOUNT_ID" "$DELEGATE_TOKEN" "$TASKS"
