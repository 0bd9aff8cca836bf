#!/usr/bin/env bash
# How many simulated delegates (heartbeat every 10 s + an open long poll) one Manager holds, with the p99
# heartbeat latency at each step. Usage: bash bench/delegate-scale.sh [steps, default 1000,2500,5000,10000] [window seconds, default 30]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STEPS="${1:-1000,2500,5000,10000}"
WINDOW="${2:-30}"
build_if_needed
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ)"
# The fleet registers at the simulator's pace, past the per-account and per-token defaults; every simulated
# delegate comes from 127.0.0.1 with a heartbeat and a poll connection, past the per-address connection cap.
# Two connections per simulated delegate, on both sides: 20,000 delegates need more than the usual 20,000 files.
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
start_manager "${STORE:-h2}" OPENDELEGATE_MAX_DELEGATES=30000 OPENDELEGATE_TOKEN_REGISTRATIONS_PER_MINUTE=1000000 \
  OPENDELEGATE_HTTP_MAX_CONNECTIONS_PER_ADDRESS=100000
trap stop_manager EXIT
# The simulator shares the machine with the Manager: print the CPU each used, to tell which one limits.
# SIM_JAVA_OPTS sets the simulator's JVM options. Its own collector's pauses hold every call in flight and show in
# the latencies it measures: pinned to one core it would get Serial, whose full collections of 10,000 delegates'
# connections stop it for a second, so it runs ZGC like the Manager. TIMELINE_DIR=<dir> writes each window's
# heartbeats (send time, latency) as CSV there.
/usr/bin/time -f "  simulator CPU: %U s user + %S s system in %e s" \
  taskset -c "$LOAD_CPUS" java ${SIM_JAVA_OPTS:--Xmx2g -XX:+UseZGC} ${TIMELINE_DIR:+-Dbench.timeline.dir=$TIMELINE_DIR} $(cpu_props) -cp "$BENCH_JAR" org.opendelegate.bench.DelegateScaleBench "$MANAGER_URL" "$API_KEY" "$ACCOUNT_ID" "$DELEGATE_TOKEN" "$WINDOW" "$STEPS"
echo "  Manager CPU: $(ps -o time= -p "$MANAGER_PID" | tr -d ' ') (h:mm:ss) over the same run"
