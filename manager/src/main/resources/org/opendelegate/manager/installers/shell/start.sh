#!/bin/sh
# Starts the OpenDelegate delegate with the settings in delegate.env (next to this script).
#   ./start.sh                in the background; output in delegate.log, process id in delegate.pid
#   ./start.sh --foreground   in the foreground (the systemd unit uses this)
set -eu
DIR=$(cd "$(dirname "$0")" && pwd)
CONFIG="$DIR/delegate.env"
JAR="$DIR/opendelegate-delegate.jar"
PID_FILE="$DIR/delegate.pid"

die() {
  echo "start.sh: $*" >&2
  exit 1
}

[ -r "$CONFIG" ] || die "cannot read $CONFIG; run this script from the unpacked opendelegate-shell folder."
[ -r "$JAR" ] || die "cannot read $JAR; unpack the whole download again."

# Read KEY=value lines without evaluating them: the values are data, never shell code.
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    '' | '#'*) continue ;;
  esac
  key=${line%%=*}
  value=${line#*=}
  case "$key" in
    '' | [0-9]* | *[!A-Za-z0-9_]*) die "$CONFIG has a line that is not KEY=value: $line" ;;
  esac
  export "$key=$value"
done <"$CONFIG"

# A relative MANAGER_CA_CERT names a file next to this script (PEM text and absolute paths stay as they are).
case "${MANAGER_CA_CERT:-}" in
  '' | /* | -----*) ;;
  *) export MANAGER_CA_CERT="$DIR/$MANAGER_CA_CERT" ;;
esac

JAVA="java"
if [ -n "${JAVA_HOME:-}" ]; then
  JAVA="$JAVA_HOME/bin/java"
fi
how_to_get_java="Install Java 17 or newer, for example:
  Amazon Linux 2023:  sudo dnf install -y java-17-amazon-corretto-headless
  Amazon Linux 2:     sudo yum install -y java-17-amazon-corretto-headless
  Debian, Ubuntu:     sudo apt-get install -y openjdk-17-jre-headless
  RHEL, Fedora:       sudo dnf install -y java-17-openjdk-headless
or set JAVA_HOME to a Java 17+ installation."
command -v "$JAVA" >/dev/null 2>&1 || die "Java was not found ($JAVA). $how_to_get_java"
version=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
major=${version%%.*}
case "$major" in
  '' | *[!0-9]*) major=0 ;;
esac
[ "$major" -ge 17 ] || die "Java 17 or newer is needed; $JAVA is version ${version:-unknown}. $how_to_get_java"

# JAVA_OPTS is split into words but never globbed.
set -f
if [ "${1:-}" = "--foreground" ]; then
  # shellcheck disable=SC2086
  exec "$JAVA" ${JAVA_OPTS:-} -jar "$JAR"
fi

if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  echo "The delegate is already running (process $(cat "$PID_FILE")); ./stop.sh stops it."
  exit 0
fi
# shellcheck disable=SC2086
nohup "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" >>"$DIR/delegate.log" 2>&1 &
echo $! >"$PID_FILE"
echo "The delegate is starting (process $!); its log is $DIR/delegate.log"
