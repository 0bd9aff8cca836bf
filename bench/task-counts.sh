#!/usr/bin/env bash
# What the task counts of /metrics cost on a long history: a store holding N ended tasks (and one queued, one
# running), then five rounds of a row changed, the count of the tasks in flight, and a pass over every task. Reports
# each count's time and how often the Manager would pass over the store (metrics/TaskCounts: 50 times a pass's time,
# at least every second). Runs the Manager's classes in one JVM pinned to MANAGER_CPUS, without HTTP.
# Usage: bash bench/task-counts.sh [ended tasks, default 2000000]
# STORE=pg measures on PostgreSQL (a schema of its own on PG_URL, dropped at the end).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ENDED="${1:-2000000}"
build_if_needed
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ); manager jar: $MANAGER_JAR; store: ${STORE:-h2}"
dir="$BENCH_WORK/task-counts-$$"
rm -rf "$dir"
trap 'rm -rf "$dir"' EXIT
pg=""
[ "${STORE:-h2}" = pg ] && pg="jdbc:postgresql://127.0.0.1:5432/test"
# shellcheck disable=SC2086 # the options are meant to split into words
taskset -c "$MANAGER_CPUS" "$MANAGER_JAVA" $MANAGER_JAVA_OPTS -cp "$MANAGER_JAR" "$BENCH_ROOT/bench/TaskCountsBench.java" \
  "$dir" "$ENDED" "$pg" 2>&1 | grep -v -E '^(SLF4J|[0-9:. ]+ (DEBUG))'
