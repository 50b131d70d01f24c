#!/usr/bin/env bash
# The compose stack, run end to end: builds the images, brings every service up and waits for its health check,
# sends the seed document's curl to 127.0.0.1:8080 and finds the email in the SMTP catcher, runs a resize_image and
# reads its artifact from the volume and through the gateway, runs a db_query against the sample database (as the
# read-only conveyor_reader) and downloads its CSV, sees an unknown query refused, scales task-worker to 3 and sees
# three consumers on a queue, stops the workers while a task runs (they drain it within their grace period), and
# removes the stack with its volumes.
#
#   containers/compose-e2e.sh [ENV_FILE]
#
# ENV_FILE (optional) holds image variables such as containers/stand-ins.sh writes (RABBITMQ_IMAGE, ...); without
# it the public images are used. The passwords are generated for the run, and the stores', PostgreSQL's and Mailpit's
# host ports are moved (PUBLISH_*_PORT) so that a RabbitMQ or Redis of the host's own keeps its ports; the gateway needs
# 127.0.0.1:8080 free. Talks to the Docker API at DOCKER_HOST (podman's, from scripts/containers.sh, here).
# Uses `docker compose` (v2) when present, else `docker-compose` (v1).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

IMAGES_ENV=${1:-}
PROJECT=conveyor-e2e
WORK=$(mktemp -d /tmp/conveyor-e2e.XXXXXX)
ENV_FILE=$WORK/env
STARTED=$SECONDS

AMQP_UI_PORT=35673
MAIL_UI_PORT=38025
GATEWAY=http://127.0.0.1:8080

say() { echo "compose-e2e [$((SECONDS - STARTED)) s]: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null; then
  COMPOSE=(docker-compose)
else
  fail "no Compose client: install Docker Compose v2, or run scripts/containers.sh (installs docker-compose)"
fi
compose() { "${COMPOSE[@]}" --env-file "$ENV_FILE" -p "$PROJECT" "$@"; }

SOCKET=${DOCKER_HOST:-unix:///var/run/docker.sock}
SOCKET=${SOCKET#unix://}
api() { curl -fsS --max-time 10 --unix-socket "$SOCKET" "http://d$1"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

cleanup() {
  local rc=$?
  if [ $rc -ne 0 ]; then
    say "logs of the failed run:"
    compose ps >&2 || true
    compose logs --no-color --tail=15 >&2 2>&1 || true
  fi
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT

wait_until() { # SECONDS DESCRIPTION COMMAND...: run COMMAND every second until it succeeds
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "$what: not within $limit s"
    sleep 1
  done
}

# ---- settings for the run ----
{
  [ -n "$IMAGES_ENV" ] && grep -E '^[A-Z_]+=' "$IMAGES_ENV"
  echo "RABBITMQ_DEFAULT_USER=conveyor"
  echo "RABBITMQ_DEFAULT_PASS=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo "REDIS_PASSWORD=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo "POSTGRES_PASSWORD=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo "CONVEYOR_DB_PASSWORD=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo "PUBLISH_AMQP_PORT=35672"
  echo "PUBLISH_RABBITMQ_UI_PORT=$AMQP_UI_PORT"
  echo "PUBLISH_REDIS_PORT=36379"
  echo "PUBLISH_POSTGRES_PORT=35432"
  echo "PUBLISH_SMTP_PORT=31025"
  echo "PUBLISH_MAILPIT_UI_PORT=$MAIL_UI_PORT"
} >"$ENV_FILE"
chmod 600 "$ENV_FILE"
# shellcheck disable=SC1090
. "$ENV_FILE"

if (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null; then
  fail "127.0.0.1:8080 is taken: the gateway publishes it (stop what listens there)"
fi
compose down -v --remove-orphans >/dev/null 2>&1 || true

# ---- build and start ----
say "building the images (${COMPOSE[*]})"
compose build >"$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log" >&2; fail "the build"; }
say "starting the stack"
compose up -d >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; fail "compose up"; }

all_healthy() {
  local id status n=0
  for id in $(compose ps -q); do
    status=$(api "/containers/$id/json" | json 'd["State"].get("Health",{}).get("Status","none")')
    [ "$status" = healthy ] || return 1
    n=$((n + 1))
  done
  [ "$n" -ge 9 ] # rabbitmq, redis, postgres, mailpit, api-gateway, task-worker x2, worker-email, worker-images
}
wait_until 240 "every service healthy" all_healthy
say "all $(compose ps -q | wc -l) containers healthy"

# ---- the images run Java 25 with the AOT cache their runtime stage made ----
for service in api-gateway task-worker; do
  version=$(compose exec -T "$service" java -version 2>&1 | sed -n 1p)
  grep -q '"25' <<<"$version" || fail "$service runs $version, not Java 25"
  # -XX:AOTMode=on refuses to start a JVM that cannot use the cache: the image's cache fits the image's JVM.
  compose exec -T "$service" sh -c 'java $JAVA_OPTS -XX:AOTMode=on -XX:AOTCache=app.aot -cp quarkus-run.jar -version' >"$WORK/aot.log" 2>&1 \
    || { cat "$WORK/aot.log" >&2; fail "$service cannot use its AOT cache"; }
done
say "both images run Java 25 ($version) and their JVM takes their AOT cache"

# The published port: with podman it has been seen to refuse connections for a few seconds after the gateway's
# own health check (inside the container) passed.
published_ready() { curl -fsS --max-time 2 -o /dev/null "$GATEWAY/q/health/ready"; }
wait_until 60 "the gateway ready through 127.0.0.1:8080" published_ready

# ---- the seed document's request, unchanged, through the published port ----
seed=$(curl -sS -w '\n%{http_code}' -X POST http://localhost:8080/async-task -H "Content-Type: application/json" -d '{"task_type": "send_email", "task_param": "user@example.com"}')
[ "$(tail -n 1 <<<"$seed")" = 202 ] || fail "the seed request answered: $seed"
seed_id=$(head -n 1 <<<"$seed" | json 'd["id"]')
say "seed request accepted: task $seed_id"

mail_arrived() { # GreenMail's API (the stand-in) or Mailpit's
  local found
  found=$(curl -fsS "http://127.0.0.1:$MAIL_UI_PORT/api/user/user@example.com/messages/INBOX/" 2>/dev/null \
    || curl -fsS "http://127.0.0.1:$MAIL_UI_PORT/api/v1/search?query=to:user@example.com" 2>/dev/null) || return 1
  grep -q "$seed_id@conveyor" <<<"$found"
}
wait_until 60 "the seed's email in the SMTP catcher" mail_arrived
say "the email of task $seed_id is in the SMTP catcher"

# ---- resize_image, and its artifact in the volume ----
png="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
resize=$(curl -fsS -X POST "$GATEWAY/api/v1/tasks" -H 'Content-Type: application/json' \
  -d "{\"type\":\"resize_image\",\"payload\":{\"source\":\"$png\",\"width\":64,\"height\":48}}")
resize_id=$(json 'd["id"]' <<<"$resize")
view=$(curl -fsS "$GATEWAY/api/v1/tasks/$resize_id?wait=PT60S")
[ "$(json 'd["status"]' <<<"$view")" = SUCCEEDED ] || fail "resize_image: $view"
artifact=$(json 'd["result"]["artifact"]' <<<"$view")
sha=$(json 'd["result"]["sha256"]' <<<"$view")
compose exec -T worker-images cat "/artifacts/$(basename "$artifact")" >"$WORK/artifact.png"
[ "$(sha256sum <"$WORK/artifact.png" | cut -d' ' -f1)" = "$sha" ] || fail "the artifact's SHA-256 is not the result's"
[ "$(head -c 4 "$WORK/artifact.png" | od -An -c | tr -d ' ')" = '211PNG' ] || fail "the artifact is not a PNG"
say "resize_image wrote $(wc -c <"$WORK/artifact.png") bytes of PNG to the artifacts volume, SHA-256 as reported"
# The gateway serves it from the same volume (mounted read-only), at the view's artifactUrl.
artifact_url=$(json 'd["artifactUrl"]' <<<"$view")
curl -fsS "$GATEWAY$artifact_url" >"$WORK/downloaded.png"
cmp -s "$WORK/artifact.png" "$WORK/downloaded.png" || fail "the gateway served other bytes than the volume holds"
say "the gateway serves the artifact at $artifact_url"

# ---- db_query: an allow-listed query over the sample database, its CSV through the gateway ----
query=$(curl -fsS -X POST "$GATEWAY/api/v1/tasks" -H 'Content-Type: application/json' \
  -d '{"type":"db_query","payload":{"query":"orders_since","params":{"since":"2026-11-01"},"format":"csv"}}')
query_id=$(json 'd["id"]' <<<"$query")
view=$(curl -fsS "$GATEWAY/api/v1/tasks/$query_id?wait=PT60S")
[ "$(json 'd["status"]' <<<"$view")" = SUCCEEDED ] || fail "db_query: $view"
rows=$(json 'd["result"]["rows"]' <<<"$view")
curl -fsS -D "$WORK/query.headers" "$GATEWAY/api/v1/tasks/$query_id/artifact" >"$WORK/query.csv"
grep -qi '^content-type: text/csv' "$WORK/query.headers" || fail "the CSV's headers: $(cat "$WORK/query.headers")"
header=$(head -n 1 "$WORK/query.csv" | tr -d '\r')
[ "$header" = id,customer,country,status,total,placed_at ] || fail "the CSV's header is '$header'"
# Records, not lines (a quoted value may hold a line break): Python's csv module counts them.
records=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)' \
  "$WORK/query.csv")
[ "$rows" -gt 0 ] && [ "$records" = "$rows" ] || fail "the CSV holds $records rows, the result says $rows"
# The same count, asked of the database directly, as the reader with its password.
expected=$(compose exec -T -e PGPASSWORD="$CONVEYOR_DB_PASSWORD" postgres psql -h 127.0.0.1 -U conveyor_reader \
  -d shop -tAc "SELECT count(*) FROM shop.orders WHERE placed_at >= date '2026-11-01'" | tr -d '\r')
[ "$expected" = "$rows" ] || fail "db_query exported $rows rows, the database holds $expected"
say "db_query orders_since exported $rows rows (as the database counts them) as CSV, served by the gateway"
unknown=$(curl -sS -w '\n%{http_code}' -X POST "$GATEWAY/api/v1/tasks" -H 'Content-Type: application/json' \
  -d '{"type":"db_query","payload":{"query":"no_such_query"}}')
[ "$(tail -n 1 <<<"$unknown")" = 400 ] || fail "an unknown query answered: $unknown"
for known in orders_by_status orders_since revenue_by_country; do
  grep -q "$known" <<<"$unknown" || fail "the refusal of an unknown query does not list $known: $unknown"
done
say "an unknown query is refused with 400 listing the known ones"

# ---- three task-worker replicas, three consumers ----
if [ "${COMPOSE[0]}" = docker-compose ]; then
  # Compose v1 with podman: a second `up` refuses the existing network ("IPAM option driver has changed": podman
  # reports its IPAM driver by name), so v1 scales with its `scale` command.
  compose scale task-worker=3 >"$WORK/scale.log" 2>&1 || { cat "$WORK/scale.log" >&2; fail "scale"; }
else
  compose up -d --no-recreate --scale task-worker=3 >"$WORK/scale.log" 2>&1 || { cat "$WORK/scale.log" >&2; fail "scale"; }
fi
consumers() { # the consumers of generate_report's queue, which only the task-worker pool consumes
  curl -fsS -u "$RABBITMQ_DEFAULT_USER:$RABBITMQ_DEFAULT_PASS" \
    "http://127.0.0.1:$AMQP_UI_PORT/api/queues/%2F/conveyor.task.generate_report" | json 'd.get("consumers",0)'
}
three_consumers() { [ "$(consumers)" = 3 ]; }
wait_until 120 "three consumers on conveyor.task.generate_report" three_consumers
say "task-worker scaled to 3: conveyor.task.generate_report has 3 consumers"

# ---- stop: the workers drain what they run ----
sleeper=$(curl -fsS -X POST "$GATEWAY/api/v1/tasks" -H 'Content-Type: application/json' \
  -d '{"type":"sleep","payload":{"duration":"PT8S"}}' | json 'd["id"]')
running() { [ "$(curl -fsS "$GATEWAY/api/v1/tasks/$sleeper" | json 'd["status"]')" = RUNNING ]; }
wait_until 60 "the sleep task running" running
stop_started=$SECONDS
compose stop -t 40 task-worker worker-email worker-images >"$WORK/stop.log" 2>&1 || { cat "$WORK/stop.log" >&2; fail "stop"; }
stop_took=$((SECONDS - stop_started))
for id in $(compose ps -q task-worker worker-email worker-images); do
  code=$(api "/containers/$id/json" | json 'd["State"]["ExitCode"]')
  # 143 = 128 + SIGTERM: the JVM's exit after its shutdown hooks (the drain) ran; 137 would be the SIGKILL at the
  # end of the grace period.
  case "$code" in 0 | 143) ;; *) fail "a worker exited with $code (137: killed at the end of the grace period)" ;; esac
done
state=$(curl -fsS "$GATEWAY/api/v1/tasks/$sleeper" | json 'd["status"]')
[ "$state" = SUCCEEDED ] || fail "the task running at the stop is $state, not SUCCEEDED"
say "workers stopped in $stop_took s (grace 40 s), none was killed, the running task finished first"

compose down -v --remove-orphans >/dev/null 2>&1
left=$(api "/containers/json?all=true&filters=%7B%22label%22%3A%5B%22com.docker.compose.project%3D$PROJECT%22%5D%7D" | json 'len(d)')
[ "$left" = 0 ] || fail "$left containers left after down"
# Every build leaves untagged images (earlier builds' stages, ~1 GB each): remove those older than 3 days, so that
# repeated runs on one machine do not fill its disk, while recent ones stay as the next build's cache.
curl -fsS --max-time 120 --unix-socket "$SOCKET" -X POST \
  'http://d/images/prune?filters=%7B%22dangling%22%3A%5B%22true%22%5D%2C%22until%22%3A%5B%2272h%22%5D%7D' >/dev/null \
  || say "could not prune old untagged images (not a failure)"
say "stack removed; passed in $((SECONDS - STARTED)) s"
