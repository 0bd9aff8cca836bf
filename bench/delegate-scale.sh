#!/usr/bin/env bash
# How many simulated delegates (heartbeat every 10 s + an open long poll) one Manager holds, with the p99
# heartbeat latency at each step. Usage: bash bench/delegate-scale.sh [steps, default 1000,2500,5000,10000] [window seconds, default 30]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STEPS="${1:-1000,2500,5000,10000}"
WINDOW="${2:-30}"
build_if_needed
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ)"
# The fleet registers at the simulator's pace, past the per-account and per-token defaults; every simulated
# delegate comes from 127.0.0.1 with a poll connection of its own (heartbeats share a pool), past the per-address
# connection cap. Each connection is an open file on both sides: N delegates need a little more than N files in
# the simulator and in the Manager. The JVM raises its soft limit to the hard one by itself, so the hard limit
# (`ulimit -Hn`) is the ceiling: a container whose hard limit is 20,000 holds at most about 19,500 delegates here.
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "open files allowed: $(ulimit -n) (hard limit $(ulimit -Hn))"
start_manager "${STORE:-h2}" OPENDELEGATE_MAX_DELEGATES=30000 OPENDELEGATE_TOKEN_REGISTRATIONS_PER_MINUTE=1000000 \
  OPENDELEGATE_HTTP_MAX_CONNECTIONS_PER_ADDRESS=100000
trap stop_manager EXIT
# The simulator shares the machine with the Manager: print the CPU each used, to tell which one limits.
# SIM_JAVA_OPTS sets the simulator's JVM options. Its own collector's pauses hold every call in flight and show in
# the latencies it measures: pinned to one core it would get Serial, whose full collections of 10,000 delegates'
# connections stop it for a second, so it runs ZGC. Registrations go through the JDK HTTP client; the registered
# fleet's heartbeats and polls run on one non-blocking thread (RawDelegateFleet), far cheaper than the client
# (docs/benchmarks.md, "Issue 16, sixth stop"). TIMELINE_DIR=<dir> writes each window's heartbeats (send time,
# latency) as CSV there.
/usr/bin/time -f "  simulator CPU: %U s user + %S s system in %e s" \
  taskset -c "$LOAD_CPUS" java ${SIM_JAVA_OPTS:--Xmx2g -XX:+UseZGC} ${TIMELINE_DIR:+-Dbench.timeline.dir=$TIMELINE_DIR} $(cpu_props) -cp "$BENCH_JAR" org.opendelegate.bench.DelegateScaleBench "$MANAGER_URL" "$API_KEY" "$ACCOUNT_ID" "$DELEGATE_TOKEN" "$WINDOW" "$STEPS"
echo "  Manager CPU: $(ps -o time= -p "$MANAGER_PID" | tr -d ' ') (h:mm:ss) over the same run"
