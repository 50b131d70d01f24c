#!/usr/bin/env bash
# Runs Conveyor on this machine without Docker: a local SMTP catcher (GreenMail) unless SMTP_HOST is set,
# the gateway on :8080 and N workers (health on :8081, :8082, ...), against RabbitMQ and Redis on localhost, and
# db_query's example queries against the local PostgreSQL when there is one.
# Builds the jars first if they are missing (or with --build). Ctrl-C stops everything it started.
#
#   scripts/run-local.sh [--build] [--workers N]
#
# Maven runs only to build (a jar missing, or --build) and, on the very first start, to fetch GreenMail: a start
# with a current build takes as long as the gateway needs to become ready. Every step says what it does.
set -euo pipefail
cd "$(dirname "$0")/.."

workers=2
build=false
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=true ;;
    --workers) workers="$2"; shift ;;
    *) echo "usage: $0 [--build] [--workers N]" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "[run-local ${SECONDS}s] $*"; }
# Java 25: JAVA_HOME or the default java when it is 25+, else a JDK 25 under /usr/lib/jvm.
. scripts/lib/jdk.sh
use_jdk25
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A property of the parent POM, read as text: asking Maven (help:evaluate) costs seconds on every start.
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -n 1; }

logs=target/run-local
mkdir -p "$logs"
gateway_jar=api-gateway/target/quarkus-app/quarkus-run.jar
worker_jar=task-worker/target/quarkus-app/quarkus-run.jar
if $build || [ ! -f "$gateway_jar" ] || [ ! -f "$worker_jar" ]; then
  if port_open "${RABBITMQ_PORT:-5672}" && port_open 6379; then
    say "Building the jars and training their AOT caches (scripts/package.sh; a few minutes)..."
    scripts/package.sh
  else
    say "Building the jars without AOT caches (training needs RabbitMQ and Redis; scripts/package.sh trains)..."
    scripts/package.sh --no-cache
  fi
elif [ -n "$(find common-model/src/main api-gateway/src/main task-worker/src/main -newer "$worker_jar" -type f \
               -print -quit 2>/dev/null)" ]; then
  say "Note: sources changed since the last build; these jars do not have the changes (--build rebuilds)."
fi

say "Checking RabbitMQ on localhost:${RABBITMQ_PORT:-5672} and Redis..."
port_open "${RABBITMQ_PORT:-5672}" || {
  echo "RabbitMQ is not reachable on ${RABBITMQ_PORT:-5672}: start it (rabbitmq-server -detached)" >&2; exit 1; }
if [ -z "${REDIS_URL:-}" ] && ! port_open 6379; then
  say "Warning: Redis is not reachable on 6379 (start it: redis-server --daemonize yes). Tasks still run, but the"
  say "         gateway stays not ready and task states are not recorded until it is up."
fi
ports=(8080)
for i in $(seq 1 "$workers"); do ports+=($((8080 + i))); done
for port in "${ports[@]}"; do
  if port_open "$port"; then
    echo "Port $port is already in use (another run-local.sh, docker compose, or a test run?): stop that first." >&2
    exit 1
  fi
done

pids=()
stop() {
  # A second INT or TERM (timeout(1) and some terminals signal the whole process group) must not end this shell
  # while the apps drain: it would leave them and GreenMail running on.
  trap '' INT TERM
  trap - EXIT
  say "Stopping (workers drain their in-flight tasks first, up to CONVEYOR_DRAIN_TIMEOUT)..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  say "Stopped."
}
trap stop INT TERM EXIT

smtp_started=false
if [ -z "${SMTP_HOST:-}" ]; then
  export SMTP_HOST=127.0.0.1 SMTP_PORT=${SMTP_PORT:-1025}
  if port_open "$SMTP_PORT"; then
    say "An SMTP server already listens on $SMTP_PORT: the workers use it."
  else
    version=$(pom_property greenmail.version)
    greenmail=$HOME/.m2/repository/com/icegreen/greenmail-standalone/$version/greenmail-standalone-$version.jar
    [ -f "$greenmail" ] || greenmail=$logs/greenmail-standalone-$version.jar
    if [ ! -f "$greenmail" ]; then
      say "Fetching the SMTP catcher, GreenMail $version, from Maven (first start only, ~10 s)..."
      ./mvnw -q -B -N dependency:copy -Dartifact="com.icegreen:greenmail-standalone:$version" \
             -DoutputDirectory="$logs" >/dev/null
    fi
    say "Starting GreenMail: SMTP on :$SMTP_PORT, its API on :8025 (log: $logs/smtp.log)"
    java -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$SMTP_PORT" -Dgreenmail.auth.disabled \
         -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port=8025 -jar "$greenmail" > "$logs/smtp.log" 2>&1 &
    pids+=($!)
    smtp_started=true
  fi
fi

# Recommended JVM options (scripts/jvm-options), and each app's AOT cache (app.aot) when the build trained one. The
# cache records the class path as given, so each app starts from its own directory; a cache this JVM cannot use (made
# by another JDK build, or for an older jar) is skipped with a warning in the app's log.
jvm_options=${JAVA_OPTS:-$(cat scripts/jvm-options)}
export CONVEYOR_ARTIFACT_DIR=${CONVEYOR_ARTIFACT_DIR:-$PWD/artifacts}
# db_query: the example queries over the example shop, in a database of their own (conveyor_sample) on the local
# PostgreSQL, when one answers on 127.0.0.1:5432 and psql may create it (local trust authentication, as on these
# machines). CONVEYOR_DB_URL set: that database and CONVEYOR_QUERIES_DIR (or the examples) instead.
queries_note="db_query: no queries (no PostgreSQL on 127.0.0.1:5432, or psql missing)"
if [ -z "${CONVEYOR_DB_URL:-}" ] && port_open 5432 && command -v psql > /dev/null; then
  pg=(psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -U "${PGUSER:-postgres}")
  if { "${pg[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'conveyor_sample'" | grep -q 1 \
         || "${pg[@]}" -d postgres -c "CREATE DATABASE conveyor_sample"; } \
     && "${pg[@]}" -d conveyor_sample -f examples/sample-db.sql > /dev/null 2>&1; then
    export CONVEYOR_DB_URL=jdbc:postgresql://127.0.0.1:5432/conveyor_sample CONVEYOR_DB_USERNAME=conveyor_reader
    export CONVEYOR_QUERIES_DIR=${CONVEYOR_QUERIES_DIR:-$PWD/examples/queries}
    queries_note="db_query: examples/queries over the example shop in PostgreSQL's conveyor_sample database"
  else
    say "Could not load examples/sample-db.sql into PostgreSQL's conveyor_sample database: db_query has no queries"
  fi
elif [ -n "${CONVEYOR_DB_URL:-}" ]; then
  export CONVEYOR_QUERIES_DIR=${CONVEYOR_QUERIES_DIR:-$PWD/examples/queries}
  queries_note="db_query: $CONVEYOR_QUERIES_DIR against $CONVEYOR_DB_URL"
fi
say "$queries_note"
run_app() {  # run_app JAR [java options...]: exec's java from the jar's directory
  local jar=$1; shift
  cd "$(dirname "$jar")" || exit 1
  local aot=()
  [ -f app.aot ] && aot=(-XX:AOTCache=app.aot)
  # shellcheck disable=SC2086
  exec java $jvm_options "${aot[@]}" "$@" -jar quarkus-run.jar
}
# The apps start while GreenMail does: a worker connects to SMTP only to send an email.
say "Starting the gateway on :8080 and $workers worker(s) on :8081..:$((8080 + workers)) (logs: $logs/)"
(run_app "$gateway_jar") > "$logs/api-gateway.log" 2>&1 &
gateway_pid=$!
pids+=($gateway_pid)
for i in $(seq 1 "$workers"); do
  (PORT=$((8080 + i)) run_app "$worker_jar" -Dquarkus.http.port=$((8080 + i))) > "$logs/task-worker-$i.log" 2>&1 &
  pids+=($!)
done

ready() { curl -sf -o /dev/null "http://localhost:$1/q/health/ready"; }
command -v curl > /dev/null || ready() { port_open "$1"; }  # without curl: the port is open, at least
say "Waiting for the gateway to be ready (connected to RabbitMQ and Redis)..."
for _ in $(seq 1 300); do
  ready 8080 && break
  if ! kill -0 "$gateway_pid" 2>/dev/null; then
    echo "The gateway exited; the end of $logs/api-gateway.log:" >&2
    tail -n 20 "$logs/api-gateway.log" >&2
    exit 1
  fi
  sleep 0.2
done
if ready 8080; then
  say "The gateway is ready."
else
  say "The gateway is not ready after a minute: see $logs/api-gateway.log and http://localhost:8080/q/health"
fi
for i in $(seq 1 "$workers"); do
  for _ in $(seq 1 50); do ready $((8080 + i)) && break; sleep 0.2; done
  ready $((8080 + i)) || say "Worker $i is not ready yet: see $logs/task-worker-$i.log"
done
if $smtp_started; then
  for _ in $(seq 1 50); do port_open "$SMTP_PORT" && break; sleep 0.2; done
  port_open "$SMTP_PORT" || say "GreenMail does not listen on $SMTP_PORT yet: see $logs/smtp.log"
fi

cat <<INFO
Conveyor is running (started in ${SECONDS} s; logs in $logs/):
  API              http://localhost:8080/api/v1/tasks   (task types: http://localhost:8080/api/v1/task-types)
  Health           http://localhost:8080/q/health       workers: http://localhost:8081/q/health ...
  Mail (GreenMail) http://localhost:8025/api/user/<recipient>/messages/INBOX   (SMTP on ${SMTP_HOST}:${SMTP_PORT})
  RabbitMQ UI      http://localhost:15672 (guest/guest; needs: rabbitmq-plugins enable rabbitmq_management)
  Queries          http://localhost:8080/api/v1/queries      ($queries_note)
Try:  curl -X POST http://localhost:8080/async-task -H "Content-Type: application/json" -d '{"task_type": "send_email", "task_param": "user@example.com"}'
Ctrl-C stops everything.
INFO
wait
