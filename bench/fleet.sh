#!/usr/bin/env bash
# One account with 10,000 delegates: Delegates page and GET /api/v1/delegates size and time, and dispatch
# latency of a task routed among the whole fleet. Usage: bash bench/fleet.sh [fleet size, default 10000] [samples, default 200]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
FLEET="${1:-10000}"
SAMPLES="${2:-200}"
PASSWORD=bench-admin-password-0123
build_if_needed
echo "machine: $(machine); date: $(date -u +%Y-%m-%dT%H:%MZ)"
start_manager h2 OPENDELEGATE_MAX_DELEGATES=20000 OPENDELEGATE_TOKEN_REGISTRATIONS_PER_MINUTE=100000 \
  OPENDELEGATE_ADMIN_PASSWORD=$PASSWORD
trap stop_manager EXIT
/usr/bin/time -f "  bench client CPU: %U s user + %S s system in %e s" \
  java -Xmx2g -cp "$BENCH_JAR" org.opendelegate.bench.FleetBench "$MANAGER_URL" "$API_KEY" "$ACCOUNT_ID" "$DELEGATE_TOKEN" \
  "$PASSWORD" "$FLEET" "$SAMPLES"
echo "  Manager CPU: $(ps -o time= -p "$MANAGER_PID" | tr -d ' ') (h:mm:ss) over the whole run, registrations included"
