#!/usr/bin/env bash
# The CPU of one routing decision over a fleet of delegates in one account, without HTTP or a store, on one pinned
# core (RoutingDecisionBench in the Manager's test sources). For an A/B, run it in a checkout of each commit.
# Usage: bash bench/routing-decision.sh [fleet, default 10000] [decisions per round, default 200] [rounds, default 25]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ); commit: $(git -C "$BENCH_ROOT" rev-parse --short HEAD)"
cd "$BENCH_ROOT"
classpath="$BENCH_WORK/routing-decision.classpath"
mkdir -p "$BENCH_WORK"
# One reactor build, so that the Manager's sibling modules are found as compiled classes; the Manager is the last
# module, so the file ends up holding its classpath.
mvn -B -q -o -pl manager -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
taskset -c "$MANAGER_CPUS" java -Xmx1g -XX:+UseG1GC \
  -cp "manager/target/classes:manager/target/test-classes:$(cat "$classpath")" \
  org.opendelegate.manager.dispatch.RoutingDecisionBench "$@"
