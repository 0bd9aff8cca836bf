#!/usr/bin/env bash
# What removing a long history costs (OPENDELEGATE_TASK_RETENTION): a store holding N tasks that ended 100 days ago,
# each with its attempt and log lines, and N/10 that ended yesterday; the Manager's retention (90 days) then looks
# until only the recent ones are left. Reports the looks, the removal rate and the removing thread's CPU per task.
# Runs the Manager's classes in one JVM pinned to MANAGER_CPUS, without HTTP.
# Usage: bash bench/task-retention.sh [old tasks, default 100000] [log lines per task, default 20]
# STORE=pg measures on PostgreSQL (a schema of its own on PG_URL, dropped at the end).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OLD="${1:-100000}"
LINES="${2:-20}"
build_if_needed
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ); manager jar: $MANAGER_JAR; store: ${STORE:-h2}"
dir="$BENCH_WORK/task-retention-$$"
rm -rf "$dir"
trap 'rm -rf "$dir"' EXIT
pg=""
[ "${STORE:-h2}" = pg ] && pg="jdbc:postgresql://127.0.0.1:5432/test"
# shellcheck disable=SC2086 # the options are meant to split into words
taskset -c "$MANAGER_CPUS" "$MANAGER_JAVA" $MANAGER_JAVA_OPTS -cp "$MANAGER_JAR" "$BENCH_ROOT/bench/TaskRetentionBench.java" \
  "$dir" "$OLD" "$LINES" "$pg" 2>&1 | grep -v -E '^(SLF4J|[0-9:. ]+ (DEBUG))'
