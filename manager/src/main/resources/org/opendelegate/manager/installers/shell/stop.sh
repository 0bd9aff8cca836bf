#!/bin/sh
# Stops the delegate that start.sh started in the background. The delegate stops taking work, lets
# running tasks finish for up to DELEGATE_DRAIN_SECONDS (25 s by default), reports them and deregisters.
set -eu
DIR=$(cd "$(dirname "$0")" && pwd)
PID_FILE="$DIR/delegate.pid"

if [ ! -f "$PID_FILE" ]; then
  echo "No $PID_FILE: the delegate was not started by ./start.sh here (under systemd: sudo systemctl stop opendelegate-delegate)."
  exit 0
fi
pid=$(cat "$PID_FILE")
if ! kill -0 "$pid" 2>/dev/null; then
  rm -f "$PID_FILE"
  echo "The delegate (process $pid) is not running."
  exit 0
fi
kill -TERM "$pid"
waited=0
while kill -0 "$pid" 2>/dev/null; do
  if [ "$waited" -ge 60 ]; then
    echo "The delegate is still running after 60 s; killing it."
    kill -KILL "$pid" 2>/dev/null || true
    break
  fi
  sleep 1
  waited=$((waited + 1))
done
rm -f "$PID_FILE"
echo "The delegate stopped."
