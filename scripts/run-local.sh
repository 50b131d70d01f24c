#!/usr/bin/env bash
# Runs Conveyor on this machine without Docker: a local SMTP catcher (GreenMail) unless SMTP_HOST is set,
# the gateway on :8080 and N workers (health on :8081, :8082, ...), against RabbitMQ and Redis on localhost.
# Builds the jars first if they are missing (or with --build). Ctrl-C stops everything it started.
#
#   scripts/run-local.sh [--build] [--workers N]
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

gateway_jar=api-gateway/target/quarkus-app/quarkus-run.jar
worker_jar=task-worker/target/quarkus-app/quarkus-run.jar
if $build || [ ! -f "$gateway_jar" ] || [ ! -f "$worker_jar" ]; then
  ./mvnw -q -B -DskipTests package
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_open "${RABBITMQ_PORT:-5672}" || { echo "RabbitMQ is not reachable on ${RABBITMQ_PORT:-5672}: start it (rabbitmq-server -detached)" >&2; exit 1; }

logs=target/run-local
mkdir -p "$logs"
pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping (workers drain their in-flight tasks first)..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

if [ -z "${SMTP_HOST:-}" ]; then
  export SMTP_HOST=127.0.0.1 SMTP_PORT=${SMTP_PORT:-1025}
  if ! port_open "$SMTP_PORT"; then
    greenmail=$(./mvnw -q -B help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null)/com/icegreen/greenmail-standalone/2.1.3/greenmail-standalone-2.1.3.jar
    [ -f "$greenmail" ] || ./mvnw -q -B dependency:get -Dartifact=com.icegreen:greenmail-standalone:2.1.3 >/dev/null
    java -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$SMTP_PORT" -Dgreenmail.auth.disabled \
         -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port=8025 -jar "$greenmail" > "$logs/smtp.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 30); do port_open "$SMTP_PORT" && break; sleep 0.5; done
  fi
fi

# Recommended JVM options (scripts/jvm-options), and each app's class-data archive when the build made one. The
# archive names its jar relatively, so each app starts from its own directory (the JVM ignores the archive otherwise).
jvm_options=${JAVA_OPTS:-$(cat scripts/jvm-options)}
export CONVEYOR_ARTIFACT_DIR=${CONVEYOR_ARTIFACT_DIR:-$PWD/artifacts}
run_app() {  # run_app JAR [java options...]: exec's java from the jar's directory
  local jar=$1; shift
  cd "$(dirname "$jar")" || exit 1
  local cds=()
  [ -f app-cds.jsa ] && cds=(-XX:SharedArchiveFile=app-cds.jsa)
  # shellcheck disable=SC2086
  exec java $jvm_options "${cds[@]}" "$@" -jar quarkus-run.jar
}
(run_app "$gateway_jar") > "$logs/api-gateway.log" 2>&1 &
pids+=($!)
for i in $(seq 1 "$workers"); do
  (PORT=$((8080 + i)) run_app "$worker_jar" -Dquarkus.http.port=$((8080 + i))) > "$logs/task-worker-$i.log" 2>&1 &
  pids+=($!)
done

for _ in $(seq 1 60); do port_open 8080 && break; sleep 0.5; done
cat <<INFO
Conveyor is running (logs in $logs/):
  API              http://localhost:8080/api/v1/tasks   (task types: http://localhost:8080/api/v1/task-types)
  Health           http://localhost:8080/q/health       workers: http://localhost:8081/q/health ...
  Mail (GreenMail) http://localhost:8025/api/user/<recipient>/messages/INBOX   (SMTP on ${SMTP_HOST}:${SMTP_PORT})
  RabbitMQ UI      http://localhost:15672 (guest/guest; needs: rabbitmq-plugins enable rabbitmq_management)
Try:  curl -X POST http://localhost:8080/async-task -H "Content-Type: application/json" -d '{"task_type": "send_email", "task_param": "user@example.com"}'
Ctrl-C stops everything.
INFO
wait
