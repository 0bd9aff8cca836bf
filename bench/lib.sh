#!/usr/bin/env bash
# Shared by the benchmark scripts: build the jars if needed, start a Manager on H2 or PostgreSQL, stop it.
set -euo pipefail
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The jars may be overridden, e.g. to measure another build of the Manager side by side (A/B).
MANAGER_JAR="${MANAGER_JAR:-$BENCH_ROOT/manager/target/opendelegate-manager.jar}"
DELEGATE_JAR="${DELEGATE_JAR:-$BENCH_ROOT/delegate/target/opendelegate-delegate.jar}"
BENCH_JAR="${BENCH_JAR:-$BENCH_ROOT/bench/target/opendelegate-bench.jar}"
BENCH_WORK="${BENCH_WORK:-$BENCH_ROOT/bench/target/work}"
ACCOUNT_ID=acct-bench
API_KEY=odk_bench-admin-key-0123456789
DELEGATE_TOKEN=odt_bench-delegate-token-0123456789
# The Manager runs on MANAGER_CPUS, everything the bench starts (delegates, load generator, simulator) on
# LOAD_CPUS, so that they do not take each other's core and the Manager's CPU per unit of work is its own.
# PostgreSQL is a shared service and is not pinned. PROFILE=1 records the Manager with JFR (profile settings)
# into $BENCH_WORK/manager-<store>-<port>.jfr; summarise it with `java -cp $BENCH_JAR org.opendelegate.bench.JfrTop`.
# MANAGER_JAVA_OPTS sets the Manager's JVM options; the default is -Xmx2g and the collector ./opendelegate up
# chooses for that Java (ZGC from Java 23 on, as in the image, else G1; pinned to one core and left alone, the JVM
# would pick Serial: MANAGER_JAVA_OPTS=-Xmx2g measures that). H2_URL_OPTIONS
# appends settings to the embedded store's URL (e.g. PAGE_SIZE=4096), to measure one without a build.
# MANAGER_JAVA runs the Manager on another JDK than the first java on the PATH (the image ships Java 25, and a
# collector's behaviour differs between releases), e.g. MANAGER_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java.
MANAGER_JAVA="${MANAGER_JAVA:-java}"
if [ -z "${MANAGER_JAVA_OPTS:-}" ]; then
  manager_java_major=$("$MANAGER_JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  if [ "${manager_java_major%%.*}" -ge 23 ]; then MANAGER_JAVA_OPTS="-Xmx2g -XX:+UseZGC"; else MANAGER_JAVA_OPTS="-Xmx2g -XX:+UseG1GC -XX:MaxGCPauseMillis=20"; fi
fi
MANAGER_CPUS="${MANAGER_CPUS:-0}"
LOAD_CPUS="${LOAD_CPUS:-1}"
PROFILE="${PROFILE:-0}"

build_if_needed() {
  if [ ! -f "$MANAGER_JAR" ] || [ ! -f "$DELEGATE_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
    (cd "$BENCH_ROOT" && mvn -B -q -DskipTests package)
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_manager h2|pg [extra env...]: starts a Manager in the background; sets MANAGER_URL and MANAGER_PID.
start_manager() {
  local store="$1"; shift
  local port; port=$(free_port)
  local data="$BENCH_WORK/data-$store-$port"
  rm -rf "$data"; mkdir -p "$data"
  MANAGER_DATA="$data"
  local db=()
  if [ "$store" = pg ]; then
    PG_SCHEMA="bench_$port"
    db=(OPENDELEGATE_DB_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$PG_SCHEMA" OPENDELEGATE_DB_USER=postgres)
  fi
  if [ "$store" = h2 ] && [ -n "${H2_URL_OPTIONS:-}" ]; then
    # The URL the Manager builds itself (StoreConfig.jdbcUrl), with the settings appended: keep the two in step.
    db=(OPENDELEGATE_DB_URL="jdbc:h2:file:$data/opendelegate;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0;CACHE_SIZE=65536;TRACE_LEVEL_FILE=0;$H2_URL_OPTIONS")
  fi
  local profile=()
  if [ "$PROFILE" = 1 ]; then
    MANAGER_JFR="$BENCH_WORK/manager-$store-$port.jfr"
    profile=("-XX:StartFlightRecording=filename=$MANAGER_JFR,settings=profile,dumponexit=true")
  fi
  taskset -c "$MANAGER_CPUS" env "${db[@]}" OPENDELEGATE_PORT="$port" OPENDELEGATE_BIND_HOST=127.0.0.1 OPENDELEGATE_DATA_DIR="$data" \
      OPENDELEGATE_ACCOUNT_ID=$ACCOUNT_ID OPENDELEGATE_ADMIN_API_KEY=$API_KEY OPENDELEGATE_DELEGATE_TOKEN=$DELEGATE_TOKEN \
      "$@" "$MANAGER_JAVA" $MANAGER_JAVA_OPTS "${profile[@]}" -jar "$MANAGER_JAR" >"$data/manager.log" 2>&1 &
  MANAGER_PID=$!
  MANAGER_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 120); do
    curl -fs "$MANAGER_URL/readyz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  cat "$data/manager.log" >&2
  echo "the Manager did not start" >&2
  exit 1
}

# How many routing decisions the Manager made, their mean and the longest, from its /metrics (a Manager built
# before the timer existed answers "not measured").
routing_decisions() {
  curl -s "$MANAGER_URL/metrics" 2>/dev/null | awk '
    /^opendelegate_routing_decisions_seconds_(count|sum|max) / { v[$1] = $2 }
    END {
      n = v["opendelegate_routing_decisions_seconds_count"]
      if (n > 0) printf "%d, mean %.3f ms, longest in the last two minutes %.3f ms", n,
        1000 * v["opendelegate_routing_decisions_seconds_sum"] / n, 1000 * v["opendelegate_routing_decisions_seconds_max"]
      else printf "not measured"
    }'
}

stop_manager() {
  if [ -f "${MANAGER_DATA:-}/opendelegate.mv.db" ]; then
    echo "  embedded store file before stopping: $(du -m "$MANAGER_DATA/opendelegate.mv.db" | cut -f1) MiB;" \
      "CPU of its store-compaction thread: $(thread_cpu "$MANAGER_PID" store-compaction) s, of the task writer" \
      "(task-writes, every group commit of task rows): $(thread_cpu "$MANAGER_PID" task-writes) s, of the whole" \
      "Manager: $(ps -o cputimes= -p "$MANAGER_PID" | tr -d ' ') s"
  fi
  if [ -n "${MANAGER_PID:-}" ] && [ -d "/proc/$MANAGER_PID" ]; then
    echo "  routing decisions (choosing a delegate for a task, from /metrics): $(routing_decisions)"
    echo "  Manager CPU by thread (digits in names folded to #), since it started: $(thread_cpu_by_name "$MANAGER_PID")"
  fi
  if [ "$PROFILE" = 1 ]; then
    jcmd "$MANAGER_PID" JFR.dump filename="$MANAGER_JFR" >/dev/null 2>&1 || true
    echo "  JFR recording of the Manager: $MANAGER_JFR"
  fi
  kill -TERM "$MANAGER_PID" 2>/dev/null || true
  wait "$MANAGER_PID" 2>/dev/null || true
  if [ -n "${PG_SCHEMA:-}" ]; then
    psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA IF EXISTS $PG_SCHEMA CASCADE" >/dev/null 2>&1 || true
    PG_SCHEMA=
  fi
}

# thread_ticks DIR: the CPU ticks of the thread at /proc/PID/task/TID, all of them (utime + stime) and, after a tab,
# those in the kernel (stime); 0 and 0 once it has exited. The name (field 2 of stat) may hold spaces, so the fields
# are counted from its ')'.
thread_ticks() {
  sed 's/.*) //' "$1/stat" 2>/dev/null | awk '{print $12 + $13 "\t" $13} END { if (NR == 0) print "0\t0" }'
}

# thread_cpu PID NAME: the CPU time (user and system, in seconds) of the process's threads called NAME (Linux keeps
# the first 15 characters of a thread's name).
thread_cpu() {
  local ticks=0 t
  for t in /proc/"$1"/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" = "${2:0:15}" ] || continue
    ticks=$((ticks + $(thread_ticks "$t" | cut -f1)))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}

# thread_cpu_by_name PID: the CPU seconds of the process's live threads (an exited thread's CPU is not counted),
# summed by name with digits folded to '#' (the request threads http-1, http-2, ... are one line), 8 largest first,
# each with the part spent in the kernel (system time: sockets, futex wake-ups, file writes).
thread_cpu_by_name() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(tr '0-9' '#' < "$t/comm" 2>/dev/null | tr -s '#')" "$(thread_ticks "$t")"
  done | awk -F'\t' -v hz="$(getconf CLK_TCK)" '$1 != "" { cpu[$1] += $2; sys[$1] += $3 }
    END { for (n in cpu) printf "%.1f\t%s\t%.1f\n", cpu[n] / hz, n, sys[n] / hz }' | sort -rn | head -8 |
    awk -F'\t' '{ printf "%s%s %s s (kernel %s)", (NR > 1 ? ", " : ""), $2, $1, $3 }'
}

# The bench's CPU sampler (ProcCpu): the Manager's pid, the PostgreSQL backends holding its pool's
# connections (found by the client ports of its sockets to 5432), and the clock tick rate.
cpu_props() {
  local pg=""
  if [ -n "${PG_SCHEMA:-}" ]; then
    sleep 2 # the pool opens its connections in the background
    local ports
    ports=$(ss -Htnp 'dport = :5432' 2>/dev/null | grep "pid=$MANAGER_PID," | awk '{print $4}' | sed 's/.*://' | paste -sd,)
    if [ -n "$ports" ]; then
      pg=$(psql -h 127.0.0.1 -U postgres -d test -Atc \
        "select string_agg(pid::text, ',') from pg_stat_activity where client_port in ($ports)")
    fi
  fi
  echo "-Dbench.manager.pid=$MANAGER_PID -Dbench.pg.pids=$pg -Dbench.clk.tck=$(getconf CLK_TCK)"
}

# Runs a Java process of the bench jar on the load core.
load_java() { taskset -c "$LOAD_CPUS" java "$@"; }

bench_java() { java -cp "$BENCH_JAR" "$@" "$MANAGER_URL" "$API_KEY" "$ACCOUNT_ID" "$DELEGATE_TOKEN"; }

machine() { echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); the Manager on $("$MANAGER_JAVA" -version 2>&1 | head -1) with $MANAGER_JAVA_OPTS"; }
