#!/usr/bin/env bash
# The embedded store's two commits of an idle dispatch (a task stored already leased, then its outcome), without
# HTTP, in one JVM pinned to MANAGER_CPUS: bytes H2 writes to the file per task (steady from run to run), the
# committing thread's CPU per task, and each commit's latency. For comparing schemas or H2 settings: run it with
# MANAGER_JAR=<jar> for each build.
# Usage: bash bench/store-commit.sh [measured tasks, default 20000] [warm-up tasks, default 20000]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MEASURED="${1:-20000}"
WARM_UP="${2:-20000}"
build_if_needed
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ); manager jar: $MANAGER_JAR"
dir="$BENCH_WORK/store-commit-$$"
rm -rf "$dir"
trap 'rm -rf "$dir"' EXIT
taskset -c "$MANAGER_CPUS" java -Xmx2g -XX:+UseG1GC -cp "$MANAGER_JAR" "$BENCH_ROOT/bench/StoreCommitBench.java" \
  "$dir" "$WARM_UP" "$MEASURED" 2>&1 | grep -v -E '^(SLF4J|[0-9:. ]+ (INFO|DEBUG))'
