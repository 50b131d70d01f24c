#!/usr/bin/env bash
# Platform threads against virtual threads for the worker's handlers, side by side in one run. See bench/README.md,
# "Handler threads".
#
#   flock /tmp/conveyor-tests.lock bench/threads.sh [--build] [--rounds N] [--phases LIST]
#
#   --build       rebuild the worker first (./mvnw -q -B -DskipTests package -pl task-worker -am); without it the
#                 packaged worker in task-worker/target/quarkus-app is used, built only if missing
#   --rounds N    measure each pair N times (default 2), in the order P V V P ...: a drift of the machine during a
#                 phase then weighs on both sides alike
#   --phases L    a comma-separated subset of email,image,mixed,report,noop,pinning (default: all, in that order;
#                 report reads the tasks the earlier phases left in Redis)
#
# Each phase starts the packaged worker (from its own directory, with scripts/jvm-options) once on platform threads
# (CONVEYOR_WORKER_VIRTUAL_THREADS=false) and once on virtual threads, publishes tasks straight to their queue as
# the gateway would (bench/ThreadsBench.java), warms the worker up with half as many, then times the rest:
#   email   send_email to a GreenMail this script starts, concurrency 200: tasks/s, CPU per task, peak RSS and
#           threads of the worker process
#   image   resize_image of a 1920x1440 JPEG (a data: URI) to 320x240, concurrency 2; its virtual side forces
#           -Dconveyor.worker.threads.resize_image=virtual, since the handler declares itself CPU-bound
#   mixed   one worker for send_email and resize_image at concurrency 8, emails on virtual threads both times:
#           emails/s while images run on platform threads (as shipped) or on virtual threads
#   report  generate_report over the tasks the earlier phases left in Redis (a 1 h window), concurrency 8
#   noop    the cost of a virtual thread per task where a task costs nothing, concurrency 8
#   pinning send_email and generate_report on virtual threads under JFR: how often a virtual thread was pinned
#
# Needs Java 21+ with javac, jcmd and jfr (JAVA_HOME first), RabbitMQ on 127.0.0.1:5672 with rabbitmqctl, Redis on
# 127.0.0.1:6379 with redis-cli, and free ports BENCH_WORKER_PORT (8091) and BENCH_SMTP_PORT (2525). Isolation: a
# vhost of its own (conveyor-threads-bench, deleted at the end) and Redis database BENCH_REDIS_DB (13; refused unless
# empty or marked by an earlier run of this script, emptied at the end). Writes under bench/target/ (the table also to
# bench/target/threads.md). Optional: BENCH_WORKER_OPTS (more JVM options for the worker), BENCH_NMT=1 (native memory
# tracking: a summary after each timed drain, in the logs), BENCH_EMAIL_TASKS (4000), BENCH_IMAGE_TASKS (300),
# BENCH_MIXED_EMAILS (2000), BENCH_MIXED_IMAGES (150), BENCH_REPORT_TASKS (100), BENCH_NOOP_TASKS (20000).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

build=false
rounds=2
phases=email,image,mixed,report,noop,pinning
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=true ;;
    --rounds) rounds=$2; shift ;;
    --phases) phases=$2; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "usage: $0 [--build] [--rounds N] [--phases LIST]" >&2; exit 2 ;;
  esac
  shift
done

T=$ROOT/bench/target
R=$T/threads-results
LOGS=$T/threads-logs
APP=$ROOT/task-worker/target/quarkus-app
PORT=${BENCH_WORKER_PORT:-8091}
SMTP_PORT=${BENCH_SMTP_PORT:-2525}
VHOST=conveyor-threads-bench
REDIS_DB=${BENCH_REDIS_DB:-13}
REDIS_MARKER=conveyor-bench:threads
AMQP_URI="amqp://guest:guest@127.0.0.1:5672/$VHOST"
EMAIL_TASKS=${BENCH_EMAIL_TASKS:-4000}
IMAGE_TASKS=${BENCH_IMAGE_TASKS:-300}
REPORT_TASKS=${BENCH_REPORT_TASKS:-100}
NOOP_TASKS=${BENCH_NOOP_TASKS:-20000}
CP="$T/threads-cls:$T/threads-lib/*"

log() { printf '[threads %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
val() { sed -n "s/^$2=//p" "$1" | head -1; }
bench() { java -Djava.awt.headless=true -cp "$CP" ThreadsBench "$@"; }

# ------------------------------------------------------------------ clean-up: only what this run started
smtp_pid=""
worker_pid=""
vhost_created=false
redis_claimed=false
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_worker
  if [ -n "$smtp_pid" ]; then kill "$smtp_pid" 2>/dev/null || true; wait "$smtp_pid" 2>/dev/null || true; fi
  if $vhost_created; then rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || log "could not delete vhost $VHOST"; fi
  if $redis_claimed && [ "$(redis-cli -n "$REDIS_DB" exists "$REDIS_MARKER")" = 1 ]; then
    redis-cli -n "$REDIS_DB" flushdb >/dev/null || log "could not empty Redis database $REDIS_DB"
  fi
  rm -rf "$T/threads-artifacts"
  exit $rc
}
stop_worker() {
  [ -n "$worker_pid" ] || return 0
  kill -TERM "$worker_pid" 2>/dev/null || true
  for _ in $(seq 1 400); do kill -0 "$worker_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$worker_pid" 2>/dev/null || true
  wait "$worker_pid" 2>/dev/null || true
  worker_pid=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ preconditions
for tool in java javac jcmd jfr curl rabbitmqctl redis-cli; do command -v $tool >/dev/null || die "$tool not found"; done
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "${java_major:-0}" -ge 21 ] 2>/dev/null || die "Java 21+ needed (virtual threads), found ${java_major:-?}"
port_open 5672 || die "RabbitMQ is not reachable on 127.0.0.1:5672"
redis-cli ping >/dev/null 2>&1 || die "Redis is not reachable on 127.0.0.1:6379"
for p in "$PORT" "$SMTP_PORT"; do port_open "$p" && die "port $p is in use; this script never stops what it did not start"; done
redis_size=$(redis-cli -n "$REDIS_DB" dbsize)
if [ "$redis_size" -gt 0 ] && [ "$(redis-cli -n "$REDIS_DB" exists "$REDIS_MARKER")" != 1 ]; then
  die "Redis database $REDIS_DB holds $redis_size keys this script did not write: pick another with BENCH_REDIS_DB"
fi
rabbitmqctl -q list_vhosts | grep -qxF "$VHOST" && die "vhost $VHOST exists (a run still going, or one that died): delete it first"

if $build || [ ! -f "$APP/quarkus-run.jar" ]; then
  log "building the worker (./mvnw -q -B -DskipTests package -pl task-worker -am)"
  ./mvnw -q -B -DskipTests package -pl task-worker -am
fi
if [ ! -f "$T/threads-lib/slf4j-nop-1.7.36.jar" ]; then
  log "fetching GreenMail and the RabbitMQ client from Maven Central"
  ./mvnw -q -B -f bench/threads/pom.xml dependency:copy-dependencies -DincludeScope=runtime \
         -DoutputDirectory=../target/threads-lib
fi
mkdir -p "$T/threads-cls" "$R" "$LOGS"
rm -f "$R"/*.txt
javac -d "$T/threads-cls" -cp "$CP" bench/ThreadsBench.java

rabbitmqctl -q add_vhost "$VHOST" >/dev/null
vhost_created=true
rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
redis-cli -n "$REDIS_DB" set "$REDIS_MARKER" bench/threads.sh >/dev/null
redis_claimed=true

# Not through bench(): $! must be the JVM's own pid, or the clean-up would stop a subshell and leave GreenMail running.
java -cp "$CP" ThreadsBench smtp --port "$SMTP_PORT" > "$LOGS/smtp.log" 2>&1 &
smtp_pid=$!
for _ in $(seq 1 100); do grep -q smtp.ready=1 "$LOGS/smtp.log" 2>/dev/null && break; sleep 0.1; done
grep -q smtp.ready=1 "$LOGS/smtp.log" || die "GreenMail did not start: see $LOGS/smtp.log"
bench image --width 1920 --height 1440 --out "$T/threads-image.txt" > "$LOGS/image.log"
echo "{\"source\":\"$(cat "$T/threads-image.txt")\",\"width\":320,\"height\":240,\"format\":\"jpeg\"}" > "$T/threads-image.json"

# ------------------------------------------------------------------ one measurement
# start_worker NAME TYPES CONCURRENCY VIRTUAL-THREADS [JVM options...]: a fresh worker, ready
start_worker() {
  local name=$1 types=$2 concurrency=$3 virtual=$4; shift 4
  local cds="" nmt="" deadline
  [ -f "$APP/app-cds.jsa" ] && cds="-XX:SharedArchiveFile=app-cds.jsa"
  [ -z "${BENCH_NMT:-}" ] || nmt="-XX:NativeMemoryTracking=summary"
  mkdir -p "$T/threads-artifacts"
  # shellcheck disable=SC2046,SC2086
  (cd "$APP" && PORT=$PORT CONVEYOR_WORKER_TYPES=$types CONVEYOR_WORKER_CONCURRENCY=$concurrency \
      CONVEYOR_WORKER_VIRTUAL_THREADS=$virtual RABBITMQ_HOST=127.0.0.1 RABBITMQ_VHOST=$VHOST \
      REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB SMTP_HOST=127.0.0.1 SMTP_PORT=$SMTP_PORT \
      CONVEYOR_ARTIFACT_DIR=$T/threads-artifacts \
      exec java $(cat "$ROOT/scripts/jvm-options") $cds $nmt ${BENCH_WORKER_OPTS:-} "$@" -jar quarkus-run.jar) \
      > "$LOGS/$name.log" 2>&1 &
  worker_pid=$!
  deadline=$(( $(date +%s) + 60 ))
  until curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/q/health/ready"; do
    kill -0 "$worker_pid" 2>/dev/null || die "the worker exited during startup: see $LOGS/$name.log"
    [ "$(date +%s)" -lt "$deadline" ] || die "the worker was not ready after 60 s: see $LOGS/$name.log"
    sleep 0.1
  done
}

drain() {  # drain TYPE COUNT PAYLOAD > results: through the running worker
  bench drain --amqp-uri "$AMQP_URI" --type "$1" --count "$2" --payload "$3" --pid "$worker_pid" \
              --metrics "http://127.0.0.1:$PORT/q/metrics"
}

# measure NAME TYPE CONCURRENCY MODE TASKS PAYLOAD [JVM options...]: a warm-up of half the tasks, then the timed drain
measure() {
  local name=$1 type=$2 concurrency=$3 mode=$4 tasks=$5 payload=$6; shift 6
  start_worker "$name" "$type" "$concurrency" "$([ "$mode" = platform ] && echo false || echo true)" "$@"
  drain "$type" $(( tasks / 2 )) "$payload" > "$R/$name-warmup.txt"
  # With PINS set, JFR records the pinned virtual threads of the timed drain alone.
  [ -z "${PINS:-}" ] || jcmd "$worker_pid" JFR.start name=pins 'jdk.VirtualThreadPinned#threshold=0ms' \
                            filename="$PINS" > /dev/null
  drain "$type" "$tasks" "$payload" > "$R/$name.txt"
  [ -z "${PINS:-}" ] || jcmd "$worker_pid" JFR.stop name=pins > /dev/null
  [ -z "${BENCH_NMT:-}" ] || jcmd "$worker_pid" VM.native_memory summary > "$LOGS/$name-nmt.txt"
  stop_worker
  log "$name: $(tr '\n' ' ' < "$R/$name.txt")"
}

# measure_mixed NAME MODE [JVM options...]: images and emails at once in one worker of concurrency 8, emails on
# virtual threads both times, images on platform threads ("platform") or virtual threads ("virtual")
measure_mixed() {
  local name=$1 mode=$2; shift 2
  local images_pid
  start_worker "$name" send_email,resize_image 8 true "$@"
  drain send_email $(( MIXED_EMAILS / 2 )) "$EMAIL" > "$R/$name-warmup.txt"
  drain resize_image $(( MIXED_IMAGES / 2 )) "@$T/threads-image.json" > "$R/$name-images-warmup.txt"
  drain resize_image "$MIXED_IMAGES" "@$T/threads-image.json" > "$R/$name-images.txt" &
  images_pid=$!
  sleep 1   # the images first: the emails arrive behind them and share the permits with them
  drain send_email "$MIXED_EMAILS" "$EMAIL" > "$R/$name.txt"
  wait "$images_pid"
  stop_worker
  log "$name: emails $(tr '\n' ' ' < "$R/$name.txt"); images $(tr '\n' ' ' < "$R/$name-images.txt")"
}

# pair NAME COMMAND...: COMMAND NAME-platform-i platform ... and NAME-virtual-i virtual, rounds times, P V V P ...
pair() {
  local name=$1 i; shift
  for i in $(seq 1 "$rounds"); do
    if [ $(( i % 2 )) = 1 ]; then
      "$@" "$name-platform-$i" platform; "$@" "$name-virtual-$i" virtual
    else
      "$@" "$name-virtual-$i" virtual; "$@" "$name-platform-$i" platform
    fi
  done
}
# phase_of TYPE CONCURRENCY TASKS PAYLOAD NAME MODE: one side of a one-type phase (virtual side: VIRTUAL_OPTS too)
phase_of() {
  local extra=()
  [ "$6" = virtual ] && extra=("${VIRTUAL_OPTS[@]}")
  measure "$5" "$1" "$2" "$6" "$3" "$4" "${extra[@]}"
}
mixed_of() {
  local extra=()
  [ "$2" = virtual ] && extra=(-Dconveyor.worker.threads.resize_image=virtual)
  measure_mixed "$1" "$2" "${extra[@]}"
}
wanted() { [[ ",$phases," == *",$1,"* ]]; }

EMAIL='{"to":"bench@example.com","subject":"Your report is ready","body":"Download it from your account."}'
MIXED_EMAILS=${BENCH_MIXED_EMAILS:-2000}
MIXED_IMAGES=${BENCH_MIXED_IMAGES:-150}
report_index="?"
VIRTUAL_OPTS=()
if wanted email; then
  log "email: send_email, concurrency 200, $EMAIL_TASKS tasks after $(( EMAIL_TASKS / 2 )), $rounds round(s)"
  pair email phase_of send_email 200 "$EMAIL_TASKS" "$EMAIL"
fi
if wanted image; then
  log "image: resize_image 1920x1440 -> 320x240, concurrency 2, $IMAGE_TASKS tasks"
  VIRTUAL_OPTS=(-Dconveyor.worker.threads.resize_image=virtual)
  pair image phase_of resize_image 2 "$IMAGE_TASKS" "@$T/threads-image.json"
  VIRTUAL_OPTS=()
fi
if wanted mixed; then
  log "mixed: $MIXED_IMAGES resize_image and $MIXED_EMAILS send_email at once, concurrency 8; images on platform or virtual threads"
  pair mixed mixed_of
fi
if wanted report; then
  report_index=$(redis-cli -n "$REDIS_DB" zcard conveyor:idx:all)
  log "report: generate_report over $report_index tasks, concurrency 8, $REPORT_TASKS tasks"
  pair report phase_of generate_report 8 "$REPORT_TASKS" '{"window":"PT1H"}'
fi
if wanted noop; then
  log "noop: concurrency 8, $NOOP_TASKS tasks"
  pair noop phase_of noop 8 "$NOOP_TASKS" '{}'
fi

# pins FILE: how often virtual threads were pinned to their carrier, for how long in all, and why (JFR's blocking
# operation and pinned reason, class names folded), the most frequent first, with the frame of the first occurrence
pins() {
  jfr print --events jdk.VirtualThreadPinned --stack-depth 1 "$1" | awk '
    function ms(d) { split(d, p, " "); return p[2] == "s" ? p[1] * 1000 : p[2] == "us" ? p[1] / 1000 : p[1] }
    /^jdk.VirtualThreadPinned/ { n++; op = ""; why = ""; took = 0 }
    /^  duration = / { sub(/^  duration = /, ""); took = ms($0) }
    /blockingOperation = / { sub(/.*= /, ""); gsub(/"/, ""); op = $0 }
    /pinnedReason = / { sub(/.*= /, ""); gsub(/"/, ""); sub(/initialization of [^ ]+/, "initialization of a class"); why = $0 }
    /stackTrace = \[/ {
      getline; sub(/^ +/, ""); sub(/ line:.*/, ""); k = op ": " why
      count[k]++; total += took; if (!(k in at)) at[k] = $0
    }
    END {
      printf "%d, %.0f ms in all", n, total
      for (k in count) printf "\n%d\t%s (first at %s)", count[k], k, at[k]
    }' | { IFS= read -r head; printf '%s' "$head"; sort -rn | head -3 | awk -F '\t' '{ printf "; %s× %s", $1, $2 }'; }
}
pinned_summary=""
if wanted pinning; then
  for type in send_email generate_report; do
    if [ $type = send_email ]; then payload=$EMAIL; tasks=$EMAIL_TASKS; concurrency=200
    else payload='{"window":"PT1H"}'; tasks=$REPORT_TASKS; concurrency=8; fi
    PINS="$LOGS/pinning-$type-timed.jfr" measure "pinning-$type" "$type" "$concurrency" virtual "$tasks" "$payload" \
        "-XX:StartFlightRecording:jdk.VirtualThreadPinned#threshold=0ms,filename=$LOGS/pinning-$type-all.jfr"
    pinned_summary+="- $type (concurrency $concurrency): from start to exit $(pins "$LOGS/pinning-$type-all.jfr");"
    pinned_summary+=" in the timed drain alone $(pins "$LOGS/pinning-$type-timed.jfr")."$'\n'
  done
fi

# ------------------------------------------------------------------ the table
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "?" } else if (NR % 2) { print v[(NR + 1) / 2] } else { printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'; }
figures() {  # figures FILE-PREFIX MODE KEY [FILE-SUFFIX]: every round's value, space-separated
  local i out=""
  for i in $(seq 1 "$rounds"); do out+="$(val "$R/$1-$2-$i${4:-}.txt" "$3") "; done
  echo "${out% }"
}
ratio() {  # ratio FILE-PREFIX KEY [FILE-SUFFIX]: median over rounds of virtual / platform, each round's own pair
  local i
  for i in $(seq 1 "$rounds"); do
    awk -v v="$(val "$R/$1-virtual-$i${3:-}.txt" "$2")" -v p="$(val "$R/$1-platform-$i${3:-}.txt" "$2")" \
        'BEGIN { if (p > 0) printf "%.2f\n", v / p }'
  done | median
}
row() {  # row PHASE LABEL KEY [FILE-SUFFIX]
  wanted "$1" || return 0
  echo "| $1 | $2 | $(figures "$1" platform "$3" "${4:-}") | $(figures "$1" virtual "$3" "${4:-}") | **$(ratio "$1" "$3" "${4:-}")** |"
}
{
echo "## Handler threads, $(date '+%Y-%m-%d %H:%M %Z'): platform against virtual"
echo
echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')); $(java -version 2>&1 | head -1 | sed 's/"//g');" \
     "worker at commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- task-worker 2>/dev/null || echo ' + uncommitted changes'), JVM options: $(cat scripts/jvm-options) ${BENCH_WORKER_OPTS:-}." \
     "$rounds round(s), each a fresh worker per side, in the order P V V P; every round's figure is listed, the ratio is the median of the rounds' own ratios."
echo
echo "| phase | figure | platform | virtual | virtual / platform |"
echo "|---|---|---|---|---:|"
row email "send_email, concurrency 200: tasks/s" tasks_per_s
row email "CPU ms per task" cpu_ms_per_task
row email "peak RSS, MB" peak_rss_mb
row email "peak threads (OS)" peak_threads
row image "resize_image 1920x1440, concurrency 2: tasks/s" tasks_per_s
row image "CPU ms per task" cpu_ms_per_task
row mixed "send_email while resize_image runs (images on platform / virtual threads), concurrency 8: emails/s" tasks_per_s
row mixed "resize_image meanwhile: images/s" tasks_per_s -images
row report "generate_report, concurrency 8: tasks/s" tasks_per_s
row report "CPU ms per task" cpu_ms_per_task
row noop "noop, concurrency 8: tasks/s" tasks_per_s
row noop "CPU ms per task" cpu_ms_per_task
echo
dead=$(cat "$R"/*.txt | sed -n 's/^dead=//p' | awk '{ s += $1 } END { print s + 0 }')
echo "Dead-lettered during the run: $dead (any is a failed run). Timed tasks: send_email $EMAIL_TASKS, resize_image $IMAGE_TASKS," \
     "mixed $MIXED_IMAGES images with $MIXED_EMAILS emails, generate_report $REPORT_TASKS (over $report_index tasks in Redis), noop $NOOP_TASKS;" \
     "each after a warm-up of half as many."
if wanted pinning; then
  echo
  echo "Virtual threads pinned to their carrier (JFR jdk.VirtualThreadPinned, threshold 0 ms; a virtual-thread worker, warm-up and timed drain as above):"
  echo
  printf '%s' "$pinned_summary"
fi
} > "$T/threads.md"
echo
cat "$T/threads.md"
log "table in $T/threads.md; raw figures in $R/, worker logs in $LOGS/"
