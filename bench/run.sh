#!/usr/bin/env bash
# Conveyor benchmark: the raw broker reference (RabbitMQ PerfTest) against Conveyor's accepted tasks/s (cold, just
# after the start, and warm), end-to-end tasks/s, accept latency at a fixed rate, memory and startup time with and
# without the apps' AOT cache, in one run. See bench/README.md.
#
#   bench/run.sh [--quick] [--build | --build-head | --apps DIR] [--train] [--api-key]
#
#   --quick       every phase ~5 s instead of ~20 s, 5,000 end-to-end tasks instead of 20,000 (for development)
#   --build       rebuild the jars in the tree first (./mvnw -q -B -DskipTests package); without it (or the next
#                 option) the jars found in the tree are used, built only if missing
#   --build-head  build the last commit (git archive HEAD) in bench/target/src and measure those jars: gateway and
#                 worker from the same sources, and no interference with builds running in the tree meanwhile
#   --apps DIR    measure the jars already built in the source tree DIR (as bench/compare.sh does), with DIR's
#                 scripts/jvm-options; nothing is built
#   --train       train an AOT cache (app.aot) for each app first, in the run's copies, with this run's JVM options
#                 (JDK 25+): both apps started with -XX:AOTCacheOutput, BENCH_TRAIN_TASKS tasks end to end, stopped.
#                 For jars built without a cache, or JVM options other than those a cache was trained with
#   --api-key     run the gateway with a keys file and send every request with a producer's key, as a production
#                 deployment does (authentication, ownership indexes, the quota check); without it the gateway runs
#                 in protected mode and the load generator sends no key
#
# Needs a JDK (javac compiles the load generator; a JDK 25 is picked with scripts/lib/jdk.sh when the default java
# is older), RabbitMQ on 127.0.0.1:5672, curl, and ports 8080 and 8081 free. Writes everything under bench/target/ (the table also to bench/target/latest.md). Exits 0 when the
# run completed, whether or not the targets were met; 1 when it could not run.
#
# Environment (all optional): RABBITMQ_HOST/PORT/USERNAME/PASSWORD, RABBITMQCTL (default "rabbitmqctl"; e.g.
# "docker exec rabbitmq rabbitmqctl"; empty to do without), BENCH_VHOST (default conveyor-bench, created and
# deleted by the run when rabbitmqctl works; "/" otherwise), REDIS_URL (default redis://127.0.0.1:6379) and
# BENCH_REDIS_DB (default 15: the apps' task state goes to that database, emptied at the end; "none" leaves
# REDIS_URL alone), BENCH_SECONDS, BENCH_E2E_TASKS, BENCH_CONNECTIONS (64),
# BENCH_RATE (1000), BENCH_WORKER_PORT (8081), BENCH_JAVA_OPTS (JVM options for both apps; default: scripts/jvm-options
# of the tree measured), BENCH_JAVA (the JDK home, or java executable, the apps run on; default: JAVA_HOME when it is
# recent enough for the tree's maven.compiler.release, else the java on the PATH if it is, else a JDK 25),
# BENCH_COLD_SECONDS (10), BENCH_STARTS (alternating starts per app with and without the cache: 5, 2 with --quick,
# 0 for none), BENCH_TRAIN_TASKS (--train: 20000, 5000 with --quick),
# BENCH_PERFTEST_QUEUE (quorum|classic), BENCH_PERFTEST_ARGS (appended to PerfTest's arguments), and the apps' own
# variables such as CONVEYOR_WORKER_CONCURRENCY and CONVEYOR_WORKER_PREFETCH (the worker's prefetch is also PerfTest's
# in row a8).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
build=false
build_head=false
apps_dir=""
train=false
api_key=false
usage="usage: $0 [--quick] [--build | --build-head | --apps DIR] [--train] [--api-key]"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --build) build=true ;;
    --build-head) build_head=true ;;
    --apps) [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }; apps_dir=$2; shift ;;
    --train) train=true ;;
    --api-key) api_key=true ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
[ $(( $($build && echo 1 || echo 0) + $($build_head && echo 1 || echo 0) + $([ -n "$apps_dir" ] && echo 1 || echo 0) )) -le 1 ] \
  || { echo "--build, --build-head and --apps exclude each other" >&2; exit 2; }

# ------------------------------------------------------------------ settings
if $quick; then
  SECONDS_PER_PHASE=${BENCH_SECONDS:-5}; E2E_TASKS=${BENCH_E2E_TASKS:-5000}; WARMUP=2
  STARTS=${BENCH_STARTS:-2}; TRAIN_TASKS=${BENCH_TRAIN_TASKS:-5000}
else
  SECONDS_PER_PHASE=${BENCH_SECONDS:-20}; E2E_TASKS=${BENCH_E2E_TASKS:-20000}; WARMUP=30
  STARTS=${BENCH_STARTS:-5}; TRAIN_TASKS=${BENCH_TRAIN_TASKS:-20000}
fi
COLD_SECONDS=${BENCH_COLD_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
RATE=${BENCH_RATE:-1000}
GW_PORT=8080
WK_PORT=${BENCH_WORKER_PORT:-8081}
WORKER_PREFETCH=${CONVEYOR_WORKER_PREFETCH:-$(( ${CONVEYOR_WORKER_CONCURRENCY:-8} * 8 ))}   # the worker's prefetch: 8 per thread unless set
MQ_HOST=${RABBITMQ_HOST:-127.0.0.1}
MQ_PORT=${RABBITMQ_PORT:-5672}
MQ_USER=${RABBITMQ_USERNAME:-guest}
MQ_PASS=${RABBITMQ_PASSWORD:-guest}
PERFTEST_QUEUE_TYPE=${BENCH_PERFTEST_QUEUE:-quorum}
PERFTEST_QUEUE=bench.perftest
TASK_QUEUE=conveyor.task.noop
RABBITMQCTL=${RABBITMQCTL-rabbitmqctl}

T=bench/target
LOGS=$T/logs
GW_JAR=api-gateway/target/quarkus-app/quarkus-run.jar
WK_JAR=task-worker/target/quarkus-app/quarkus-run.jar
mkdir -p "$LOGS" "$T/results"
rm -f "$T"/results/*.txt

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $(( t / 1000 )); }    # no fork of date(1)
val() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -1; }           # val FILE KEY
calc() { awk "BEGIN { v = $1; printf \"%.${2:-2}f\", v }"; }          # calc EXPR [decimals]
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
# The load generator needs only the RabbitMQ client (from PerfTest's dependencies) and SLF4J without a backend.
# It and PerfTest run on the tools' JDK (below), whichever JDK the apps run on.
loadgen() { java -Dslf4j.internal.verbosity=ERROR -cp "$T/loadgen:$(echo $T/perftest-lib/amqp-client-*.jar):$(echo $T/perftest-lib/slf4j-api-*.jar)" LoadGen "$@"; }
alive() {  # PID: running, not a zombie (a child that exited stays one until bash reaps it, and `kill -0` succeeds)
  local state=""
  [ -r "/proc/$1/stat" ] && read -r _ _ state _ < "/proc/$1/stat" 2>/dev/null
  [ -n "$state" ] && [ "$state" != Z ]
}
forget() { local keep=() p; for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; pids=("${keep[@]}"); }

# ------------------------------------------------------------------ cleanup: only what this run started
pids=()
vhost_created=false
ctl_ok=false
redis_claimed=false
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 400); do alive "$pid" || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ -n "${AMQP_URI:-}" ] && [ -d "$T/loadgen" ]; then
    loadgen amqp --op delete --queue "$PERFTEST_QUEUE" --amqp-uri "$AMQP_URI" >/dev/null 2>&1 || true
    $vhost_created || loadgen amqp --op purge --queue "$TASK_QUEUE" --amqp-uri "$AMQP_URI" >/dev/null 2>&1 || true
  fi
  if $redis_claimed; then
    loadgen redis --op flush --url "$REDIS_URL" --db "$REDIS_DB" >/dev/null 2>&1 || log "could not empty Redis database $REDIS_DB"
  fi
  if $vhost_created; then
    $RABBITMQCTL -q delete_vhost "$VHOST" >/dev/null 2>&1 || log "could not delete vhost $VHOST"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ preconditions
# shellcheck source=../scripts/lib/jdk.sh
. scripts/lib/jdk.sh
# shellcheck source=lib.sh
. bench/lib.sh
explicit_home=${JAVA_HOME:-}
default_java=$(command -v java || true)
# The tools (Maven for --build/--build-head, javac, the load generator, PerfTest) run on a JDK 25 when there is one,
# so both columns of bench/compare.sh are driven by the same generator; any JDK 17+ does for them.
if ! use_jdk25 2>/dev/null; then
  [ -n "$default_java" ] || die "java not found: install a JDK 25 (or at least 17 for the tools)"
  log "no JDK 25 found: the tools run on $("$default_java" -version 2>&1 | head -1)"
fi
command -v javac >/dev/null || die "javac not found: install a JDK, not only a JRE"
command -v curl >/dev/null || die "curl not found"
java_major=$(java_major "$(command -v java)")
[ "${java_major:-0}" -ge 17 ] 2>/dev/null || die "Java 17+ needed for the tools, found ${java_major:-?}"
port_open "$MQ_HOST" "$MQ_PORT" || die "RabbitMQ is not reachable on $MQ_HOST:$MQ_PORT"
for p in "$GW_PORT" "$WK_PORT"; do
  if port_open 127.0.0.1 "$p"; then
    die "port $p is in use (another gateway or worker?): stop it or wait; this script never stops what it did not start"
  fi
done

# ------------------------------------------------------------------ what is measured, and on which JDK
if $build_head; then
  command -v git >/dev/null && git rev-parse --verify -q HEAD >/dev/null || die "--build-head needs a git checkout"
  app_src=$T/src
  release=$(git show HEAD:pom.xml | pom_release /dev/stdin)
elif [ -n "$apps_dir" ]; then
  [ -f "$apps_dir/$GW_JAR" ] && [ -f "$apps_dir/$WK_JAR" ] || die "--apps $apps_dir: no built jars there ($GW_JAR, $WK_JAR)"
  app_src=$apps_dir
  release=$(pom_release "$apps_dir/pom.xml")
else
  app_src=.
  release=$(pom_release pom.xml)
fi
release=${release:-17}
# The apps' JDK: BENCH_JAVA when set; else an explicit JAVA_HOME, then the java on the PATH, when recent enough for the
# release the tree is compiled for; else the tools' JDK (25+). A class-data archive or AOT cache is used only by the
# JDK build that made it: bench/compare.sh names the JDK with BENCH_JAVA.
app_java=""
if [ -n "${BENCH_JAVA:-}" ]; then
  app_java=$(java_of "$BENCH_JAVA")
  [ -n "$app_java" ] || die "BENCH_JAVA=$BENCH_JAVA is neither a JDK directory nor a java executable"
else
  for candidate in ${explicit_home:+"$explicit_home/bin/java"} "$default_java" "$(command -v java)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$release" ]; then app_java=$candidate; break; fi
  done
  [ -n "$app_java" ] || die "the apps are compiled for Java $release and no JDK $release+ was found (BENCH_JAVA names one)"
fi
app_major=$(java_major "$app_java")
[ "${app_major:-0}" -ge "$release" ] || die "the apps are compiled for Java $release; $app_java is Java ${app_major:-?}"
APP_JAVA_HOME=$(home_of "$app_java")
app_java_version=$("$app_java" -version 2>&1 | head -1 | sed 's/"//g')

if $build_head; then
  head=$(git rev-parse HEAD)
  log "building commit ${head:0:7} in $app_src on $APP_JAVA_HOME if not built yet (log in $LOGS/build.log)"
  build_commit HEAD "$app_src" "$APP_JAVA_HOME" "$LOGS/build.log" || die "the build failed: see $LOGS/build.log"
  sources="commit $(git rev-parse --short HEAD), built by --build-head"
elif [ -n "$apps_dir" ]; then
  sources="jars built in $apps_dir$( [ -f "$apps_dir/.bench-built" ] && echo " (commit $(cut -c1-7 "$apps_dir/.bench-built"))")"
else
  if $build || [ ! -f "$GW_JAR" ] || [ ! -f "$WK_JAR" ]; then
    log "building the apps (./mvnw -q -B -DskipTests package) on $APP_JAVA_HOME"
    JAVA_HOME=$APP_JAVA_HOME PATH="$APP_JAVA_HOME/bin:$PATH" ./mvnw -q -B -DskipTests package
  fi
  sources="jars from the working tree (gateway built $(date -r "$GW_JAR" '+%H:%M:%S'), worker $(date -r "$WK_JAR" '+%H:%M:%S')) at commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
fi
# The apps run with the JVM options the measured tree recommends (its scripts/jvm-options, which scripts/run-local.sh
# and the cache training use too), plus each app's AOT cache or class-data archive when there is one (see start_app).
if [ -n "${BENCH_JAVA_OPTS:-}" ]; then
  JAVA_OPTS=$BENCH_JAVA_OPTS
elif [ -f "$app_src/scripts/jvm-options" ]; then
  JAVA_OPTS=$(cat "$app_src/scripts/jvm-options")
else
  JAVA_OPTS=$(cat scripts/jvm-options)
fi
# Run copies: other builds in this tree may replace the jars while the benchmark runs. Timestamps are kept: a
# class-data archive or AOT cache is refused for a jar whose modification time changed.
rm -rf "$T/apps"; mkdir -p "$T/apps"
cp -rp "$app_src/$(dirname "$GW_JAR")" "$T/apps/api-gateway"
cp -rp "$app_src/$(dirname "$WK_JAR")" "$T/apps/task-worker"
log "apps: $sources; on $app_java_version ($APP_JAVA_HOME); JVM options: $JAVA_OPTS"

if [ ! -f "$T/perftest-lib/perf-test-2.22.1.jar" ]; then
  log "fetching RabbitMQ PerfTest from Maven Central"
  ./mvnw -q -B -f bench/perftest/pom.xml dependency:copy-dependencies -DincludeScope=runtime \
         -DoutputDirectory=../target/perftest-lib
fi
if [ ! -f "$T/loadgen/LoadGen.class" ] || [ bench/LoadGen.java -nt "$T/loadgen/LoadGen.class" ]; then
  log "compiling bench/LoadGen.java"
  mkdir -p "$T/loadgen"
  javac -d "$T/loadgen" -cp "$T/perftest-lib/*" bench/LoadGen.java
fi

# A virtual host of its own: no interference with other users' or tests' queues on the same broker.
if [ -n "$RABBITMQCTL" ] && $RABBITMQCTL -q list_vhosts >/dev/null 2>&1; then
  ctl_ok=true
fi
if $ctl_ok; then
  VHOST=${BENCH_VHOST:-conveyor-bench}
  if ! $RABBITMQCTL -q list_vhosts | grep -qxF "$VHOST"; then
    $RABBITMQCTL -q add_vhost "$VHOST" >/dev/null
    vhost_created=true
  fi
  $RABBITMQCTL -q set_permissions -p "$VHOST" "$MQ_USER" '.*' '.*' '.*' >/dev/null
  CTL_VHOST="$RABBITMQCTL -p $VHOST"
else
  VHOST=${BENCH_VHOST:-/}
  CTL_VHOST=""
  log "rabbitmqctl unavailable: using vhost '$VHOST' as is; (c) can only wait for no *ready* message"
fi
vhost_enc=$([ "$VHOST" = "/" ] && echo %2F || echo "$VHOST")
AMQP_URI="amqp://$MQ_USER:$MQ_PASS@$MQ_HOST:$MQ_PORT/$vhost_enc"
rabbit_version=$(loadgen amqp --op ping --amqp-uri "$AMQP_URI" | sed -n 's/^amqp.server=//p')
broker_pid=$(pgrep -o -x beam.smp 2>/dev/null || true)
redis_pid=$(pgrep -o -x redis-server 2>/dev/null || true)

# A Redis database of its own for the apps' task state, emptied at the end (only if it carries the bench's marker).
REDIS_DB=${BENCH_REDIS_DB:-15}
if [ "$REDIS_DB" != none ]; then
  redis_base=${REDIS_URL:-redis://127.0.0.1:6379}
  if redis_check=$(loadgen redis --op check --url "$redis_base" --db "$REDIS_DB" 2>/dev/null); then
    redis_size=$(sed -n 's/^redis.dbsize=//p' <<< "$redis_check")
    if [ "${redis_size:-0}" -gt 0 ] && ! grep -qx 'redis.marked=1' <<< "$redis_check"; then
      die "Redis database $REDIS_DB holds $redis_size keys the bench did not write: pick an empty one with BENCH_REDIS_DB=<n>"
    fi
    loadgen redis --op mark --url "$redis_base" --db "$REDIS_DB" >/dev/null
    redis_claimed=true
    REDIS_URL=$(sed -n 's/^redis.url=//p' <<< "$redis_check")
    export REDIS_URL
  else
    log "Redis not reachable at $redis_base: the apps run without it (if they need it they will not become ready)"
  fi
fi

export RABBITMQ_HOST=$MQ_HOST RABBITMQ_PORT=$MQ_PORT RABBITMQ_USERNAME=$MQ_USER RABBITMQ_PASSWORD=$MQ_PASS
export RABBITMQ_VHOST=$VHOST
log "RabbitMQ $rabbit_version, vhost '$VHOST', broker pid ${broker_pid:-not local}; Redis ${REDIS_URL:-unused}; phases of ${SECONDS_PER_PHASE}s"

# ------------------------------------------------------------------ the apps: start, stop, caches, training
URL="http://127.0.0.1:$GW_PORT/api/v1/tasks"
DONE_METRIC="http://127.0.0.1:$WK_PORT/q/metrics#conveyor_tasks_succeeded_total"
exec 9<> <(:)                                                      # a pipe nobody writes to: nap's clock
nap() { read -r -t "$1" -u 9 || true; }                            # sleep without forking sleep(1)
ready_once() {  # PORT: /q/health/ready answers 200 (bash's /dev/tcp: polling with curl every 10 ms cost the
                # starting app ~40 ms of CPU per call, half a core on this 2-core machine)
  local line=""
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /q/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 2>/dev/null || { exec 3>&-; return 1; }
  IFS= read -r -t 2 line <&3 || true
  exec 3>&-
  [[ $line == "HTTP/1."?" 200"* ]]
}
cache_flag() {  # DIR -> the JVM option that makes the app use its cache: the AOT cache (app.aot, JDK 24+), else the
                # class-data archive (app-cds.jsa); nothing when there is neither
  if [ "$app_major" -ge 24 ] && [ -f "$1/app.aot" ]; then echo "-XX:AOTCache=app.aot"
  elif [ -f "$1/app-cds.jsa" ]; then echo "-XX:SharedArchiveFile=app-cds.jsa"
  fi
}
cache_name() { case "$1" in *AOTCache*) echo "AOT cache app.aot" ;; *SharedArchiveFile*) echo "class-data archive app-cds.jsa" ;; *) echo "no cache" ;; esac; }
startup_errors() {  # the distinct warnings and errors of an app's log (a gateway and a worker built from different
                    # sources may disagree on the topology: the broker then refuses the second declaration)
  grep -E ' (WARN|ERROR) ' "$LOGS/$1.log" | sed -E 's/^([0-9]{4}-[0-9-]+[ T])?[0-9:,.]+ +//' | sort | uniq -c | sort -rn | head -5 >&2 || true
}
start_app() {  # start_app NAME DIR PORT [cache|none|train] -> sets app_pid, app_ready_ms, app_quarkus_s (Quarkus's own
               # "started in") and app_cache (what the JVM used). cache (default): the app's cache when there is one;
               # none: without; train: records an AOT cache (app.aot), written when the app exits
  local name=$1 dir=$2 port=$3 mode=${4:-cache} t0 deadline flag=""
  case "$mode" in
    cache) flag=$(cache_flag "$dir") ;;
    train) flag="-XX:AOTCacheOutput=app.aot" ;;
  esac
  t0=$(now_ms)
  # A cache names its jars relatively: the app starts from its own directory, or the JVM ignores the cache.
  # shellcheck disable=SC2086
  (cd "$dir" && PORT=$port exec "$app_java" $JAVA_OPTS $flag -Dquarkus.http.port="$port" -jar quarkus-run.jar) \
      > "$LOGS/$name.log" 2>&1 &
  app_pid=$!
  pids+=("$app_pid")
  echo "$app_pid" > "$T/results/$name.pid"
  deadline=$((t0 + 60000))
  until ready_once "$port"; do
    alive "$app_pid" || { startup_errors "$name"; die "$name exited during startup: see $LOGS/$name.log"; }
    [ "$(now_ms)" -lt "$deadline" ] || { startup_errors "$name"; die "$name not ready after 60 s: see $LOGS/$name.log"; }
    nap 0.01
  done
  app_ready_ms=$(( $(now_ms) - t0 ))
  app_quarkus_s=$(sed -n 's/.* started in \([0-9.]*\)s\..*/\1/p' "$LOGS/$name.log" | head -1)
  app_cache=$( [ "$mode" = train ] && echo "training" || cache_name "$flag")
  if grep -qiE "Unable to use (shared archive|AOT cache)|error has occurred while processing the (AOT cache|shared archive)" "$LOGS/$name.log"; then
    app_cache="$app_cache REFUSED"
    log "$name: the JVM refused its $(cache_name "$flag") (see $LOGS/$name.log: JDK build or JVM options differ from the training)"
  fi
}
stop_app() {  # PID [seconds]: SIGTERM, then wait for the exit (a training JVM writes its cache then)
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 $(( ${2:-40} * 10 ))); do alive "$1" || break; nap 0.1; done
  alive "$1" && { log "pid $1 still running after ${2:-40} s: killed"; kill -KILL "$1" 2>/dev/null || true; }
  wait "$1" 2>/dev/null || true
  forget "$1"
}
if $api_key; then
  # One producer with a rate far above what this machine can send: the quota is checked on every request, never hit.
  BENCH_API_KEY=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  printf 'bench producer sha256:%s rate=1000000/s\n' "$(printf '%s' "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)" > "$T/api-keys"
  export BENCH_API_KEY CONVEYOR_API_KEYS_FILE="$(cd "$T" && pwd)/api-keys"
  log "the gateway gets a keys file; every request carries the producer key"
fi
train_origin=""
if $train; then
  # Both apps at once, as in production: the gateway's accept path and the worker's task path, then a normal stop.
  [ "$app_major" -ge 25 ] || die "--train needs the apps on a JDK 25+ (they run on Java $app_major)"
  rm -f "$T"/apps/*/app.aot
  log "(training) both apps with -XX:AOTCacheOutput=app.aot and the run's JVM options, $TRAIN_TASKS tasks end to end"
  start_app train-api-gateway "$T/apps/api-gateway" "$GW_PORT" train; train_gw=$app_pid
  start_app train-task-worker "$T/apps/task-worker" "$WK_PORT" train; train_wk=$app_pid
  loadgen amqp --op purge --queue "$TASK_QUEUE" --amqp-uri "$AMQP_URI" >/dev/null
  loadgen e2e --url "$URL" --count "$TRAIN_TASKS" --connections "$CONNS" --queue "$TASK_QUEUE" --amqp-uri "$AMQP_URI" \
          --done-metric "$DONE_METRIC" --out "$T/results/train.txt" >/dev/null
  t0=$(now_ms)
  stop_app "$train_wk" 300; stop_app "$train_gw" 300
  for a in api-gateway task-worker; do
    [ -f "$T/apps/$a/app.aot" ] || die "the training left no $T/apps/$a/app.aot: see $LOGS/train-$a.log"
  done
  loadgen amqp --op purge --queue "$TASK_QUEUE" --amqp-uri "$AMQP_URI" >/dev/null
  train_origin="trained by --train ($TRAIN_TASKS tasks end to end, $(val $T/results/train.txt e2e.tasks_per_s) /s)"
  log "(training) caches written in $(( ($(now_ms) - t0) / 1000 )) s after the stop: gateway $(du -m "$T/apps/api-gateway/app.aot" | cut -f1) MB, worker $(du -m "$T/apps/task-worker/app.aot" | cut -f1) MB"
fi

# ------------------------------------------------------------------ (a) raw broker reference
perftest() {  # perftest NAME [extra PerfTest args...] -> sets pt_send, pt_recv, pt_rate, pt_confirm; log in $LOGS/NAME.log
  local name=$1; shift
  local args=(-h "$AMQP_URI" -x 1 -y "${PT_CONSUMERS:-1}" -s 512 -f persistent -c "$CONNS" -u "$PERFTEST_QUEUE"
              -z "$SECONDS_PER_PHASE" -i 5 --id "conveyor-bench-$name" "$@")
  if [ "$PERFTEST_QUEUE_TYPE" = quorum ]; then args+=(-qq); else args+=(--auto-delete false); fi
  # shellcheck disable=SC2206
  args+=(${BENCH_PERFTEST_ARGS:-})
  java -cp "$T/perftest-lib/*" com.rabbitmq.perf.PerfTest "${args[@]}" > "$LOGS/$name.log" 2>&1 &
  local pt_pid=$!
  pids+=("$pt_pid")
  loadgen watch --until-pid "$pt_pid" --watch "perftest=$pt_pid,broker=$broker_pid" --out "$T/results/$name.txt" >/dev/null &
  local watch_pid=$!
  wait "$pt_pid" || die "PerfTest failed: see $LOGS/$name.log"
  forget "$pt_pid"
  wait "$watch_pid" || true
  loadgen amqp --op delete --queue "$PERFTEST_QUEUE" --amqp-uri "$AMQP_URI" >/dev/null
  pt_send=$(sed -n 's/.*sending rate avg: \([0-9]*\) msg\/s.*/\1/p' "$LOGS/$name.log" | head -1)
  pt_recv=$(sed -n 's/.*receiving rate avg: \([0-9]*\) msg\/s.*/\1/p' "$LOGS/$name.log" | head -1)
  [ -n "$pt_send" ] && [ -n "$pt_recv" ] || die "no summary in $LOGS/$name.log"
  pt_rate=$(( pt_send < pt_recv ? pt_send : pt_recv ))
  pt_confirm=$(sed -n 's/.*confirm latency min\/median\/75th\/95th\/99th [0-9]*\/\([0-9]*\)\/[0-9]*\/[0-9]*\/\([0-9]*\) µs.*/\1\/\2/p' "$LOGS/$name.log" | head -1)
}
log "(a) RabbitMQ PerfTest: $PERFTEST_QUEUE_TYPE queue, persistent, confirms (window $CONNS), manual ack, 512 B, 1 producer, 1 consumer, ${SECONDS_PER_PHASE}s"
perftest perftest
a_send=$pt_send; a_recv=$pt_recv; a_rate=$pt_rate; a_confirm=$pt_confirm
log "(a) sent $a_send msg/s, received $a_recv msg/s -> reference $a_rate msg/s"
log "(a8) the same with the worker's prefetch ($WORKER_PREFETCH), for comparison with (c)"
perftest perftest-prefetch -q "$WORKER_PREFETCH"
a8_send=$pt_send; a8_recv=$pt_recv; a8_rate=$pt_rate
log "(a8) sent $a8_send msg/s, received $a8_recv msg/s"

# ------------------------------------------------------------------ (f) gateway start -> ready; the cold row
# The cold row: accepted tasks/s in the first seconds after the gateway is ready, before any warm-up, with (b)'s
# load. The generator is started first and polls the readiness itself, so no JVM start of its own lies between the
# gateway's readiness and the first request.
log "(f) starting the gateway; (cold) a ${COLD_SECONDS}s closed loop, $CONNS connections, from the moment it is ready"
rm -f "$T/results/cold.waiting" "$T/results/api-gateway.pid"
loadgen closed --url "$URL" --connections "$CONNS" --duration "$COLD_SECONDS" \
        --after-ready "http://127.0.0.1:$GW_PORT/q/health/ready" --waiting-file "$T/results/cold.waiting" \
        --watch-pid-files "gateway=$T/results/api-gateway.pid" \
        --out "$T/results/cold.txt" >/dev/null 2>"$LOGS/cold.log" &
cold_pid=$!
pids+=("$cold_pid")
for _ in $(seq 1 600); do
  [ -f "$T/results/cold.waiting" ] && break
  alive "$cold_pid" || die "the load generator of the cold row exited: see $LOGS/cold.log"
  nap 0.02
done
start_app api-gateway "$T/apps/api-gateway" "$GW_PORT"
gw_pid=$app_pid; gw_ready_ms=$app_ready_ms; gw_quarkus_s=$app_quarkus_s; gw_cache=$app_cache
log "(f) gateway ready after $gw_ready_ms ms ($gw_cache)"
wait "$cold_pid" || die "the cold row failed: see $LOGS/cold.log"
forget "$cold_pid"
cold_purged=$(loadgen amqp --op purge --queue "$TASK_QUEUE" --amqp-uri "$AMQP_URI" | sed -n 's/^amqp.purged=//p')
log "(cold) $(val $T/results/cold.txt closed.ok_per_s) tasks/s in the first ${COLD_SECONDS}s; by second: $(val $T/results/cold.txt closed.ok_by_second)"

log "warm-up: ${WARMUP}s closed loop, not measured"
loadgen closed --url "$URL" --connections "$CONNS" --duration "$WARMUP" --out "$T/results/warmup.txt" >/dev/null
loadgen amqp --op purge --queue "$TASK_QUEUE" --amqp-uri "$AMQP_URI" >/dev/null

# ------------------------------------------------------------------ (b) accepted tasks/s, no worker
log "(b) accepted tasks/s: $CONNS connections, ${SECONDS_PER_PHASE}s, no worker"
( sleep $(( SECONDS_PER_PHASE / 2 )); top -b -n 2 -d 1 -w 200 | awk '/^top -/{n++} n==2' | head -22 > "$T/top-b.txt" ) &
top_pid=$!
loadgen closed --url "$URL" --connections "$CONNS" --duration "$SECONDS_PER_PHASE" \
        --watch "gateway=$gw_pid,broker=$broker_pid,redis=$redis_pid" --out "$T/results/b.txt" >/dev/null
wait "$top_pid" 2>/dev/null || true
b_purged=$(loadgen amqp --op purge --queue "$TASK_QUEUE" --amqp-uri "$AMQP_URI" | sed -n 's/^amqp.purged=//p')
log "(b) $(val $T/results/b.txt closed.ok_per_s) tasks/s; purged $b_purged messages"

# ------------------------------------------------------------------ (d0) the broker's own latency at (d)'s rate
# (d) waits for a confirm per request; the broker's confirm latency at the same rate, with no consumer like (d), is
# its floor. On a VM whose disk stalls now and then (fsync), this row shows the stalls are the broker's own.
log "(d0) PerfTest at $RATE msg/s, no consumer: the broker's own confirm latency at (d)'s rate"
PT_CONSUMERS=0 perftest perftest-rate -r "$RATE"
d0_confirm=$pt_confirm

# ------------------------------------------------------------------ (d) latency at a fixed rate, no worker
log "(d) accept latency, open loop at $RATE req/s for ${SECONDS_PER_PHASE}s, no worker"
loadgen open --url "$URL" --rate "$RATE" --duration "$SECONDS_PER_PHASE" --connections "$CONNS" \
        --watch "gateway=$gw_pid,broker=$broker_pid,redis=$redis_pid" --out "$T/results/d.txt" >/dev/null
loadgen amqp --op purge --queue "$TASK_QUEUE" --amqp-uri "$AMQP_URI" >/dev/null
log "(d) p50 $(val $T/results/d.txt open.p50_ms) ms, p99 $(val $T/results/d.txt open.p99_ms) ms"

# ------------------------------------------------------------------ (f) worker start -> ready, (c) end to end
log "(f) starting one worker"
start_app task-worker "$T/apps/task-worker" "$WK_PORT"
wk_pid=$app_pid; wk_ready_ms=$app_ready_ms; wk_quarkus_s=$app_quarkus_s; wk_cache=$app_cache
log "(f) worker ready after $wk_ready_ms ms ($wk_cache)"

# Like the gateway before (b), the worker gets a warm-up before it is measured: a fresh JVM runs its first tasks
# interpreted and compiles for a while. The warm-up, twice as many tasks as (c), is not measured: on a 2-vCPU VM the
# worker's CPU per task over successive rounds of 20,000 was 789, 429, 197, then 143-209 µs.
# The end of (c) is when the worker's own count of succeeded tasks rose by the number posted (its Prometheus counter,
# polled every 10-100 ms, the more often the nearer the end); the queue is then checked to be empty. Broker-side
# checks alone know the end only to within a rabbitmqctl call (1-3 s on a busy 2-vCPU machine), which was most of the
# difference between runs.
log "(c) warm-up: $(( 2 * E2E_TASKS )) tasks end to end, not measured"
loadgen e2e --url "$URL" --count "$(( 2 * E2E_TASKS ))" --connections "$CONNS" --queue "$TASK_QUEUE" --amqp-uri "$AMQP_URI" \
        --rabbitmqctl "$CTL_VHOST" --done-metric "$DONE_METRIC" --out "$T/results/c-warmup.txt" >/dev/null
log "(c) end to end: $E2E_TASKS noop tasks over $CONNS connections, one worker, until $TASK_QUEUE is drained"
loadgen e2e --url "$URL" --count "$E2E_TASKS" --connections "$CONNS" --queue "$TASK_QUEUE" --amqp-uri "$AMQP_URI" \
        --rabbitmqctl "$CTL_VHOST" --done-metric "$DONE_METRIC" --watch "gateway=$gw_pid,worker=$wk_pid,broker=$broker_pid,redis=$redis_pid" \
        --out "$T/results/c.txt" >/dev/null
log "(c) $(val $T/results/c.txt e2e.tasks_per_s) tasks/s"

# ------------------------------------------------------------------ stop the apps (the trap also would)
for pid in "$wk_pid" "$gw_pid"; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in "$wk_pid" "$gw_pid"; do
  for _ in $(seq 1 400); do alive "$pid" || break; nap 0.1; done
  alive "$pid" || { wait "$pid" 2>/dev/null || true; forget "$pid"; }
done

# ------------------------------------------------------------------ (f) with and without the cache, side by side
# One start of each tells little on a shared 2-core machine: STARTS rounds, each starting the gateway and then the
# worker once with their cache and once without (which first alternates by round), each stopped once ready.
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else if (NR) printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A f_ms=() f_note=()
f_apps=()
for app in api-gateway task-worker; do
  if [ -n "$(cache_flag "$T/apps/$app")" ]; then f_apps+=("$app"); else f_note[$app]="no cache to compare with"; fi
done
if [ "$STARTS" -gt 0 ] && [ ${#f_apps[@]} -gt 0 ]; then
  log "(f) $STARTS rounds: ${f_apps[*]}, each started with and without its cache, alternating"
  for round in $(seq 1 "$STARTS"); do
    for app in "${f_apps[@]}"; do
      port=$([ "$app" = api-gateway ] && echo "$GW_PORT" || echo "$WK_PORT")
      for mode in $( [ $(( round % 2 )) = 1 ] && echo "cache none" || echo "none cache" ); do
        start_app "f-$app-$mode-$round" "$T/apps/$app" "$port" "$mode"
        f_ms[$app.$mode]="${f_ms[$app.$mode]:-} $app_ready_ms"
        [[ $app_cache != *REFUSED* ]] || f_note[$app]="the JVM refused the cache in some starts (see $LOGS/f-$app-*.log)"
        stop_app "$app_pid" 40
      done
    done
  done
fi
f_row() {  # APP -> sets f_with, f_without (medians, ms), f_ratio and f_text ("with / without ms (ratio; each start)")
  local app=$1
  f_with=""; f_without=""; f_ratio=""
  if [ -z "${f_ms[$app.cache]:-}" ]; then f_text="${f_note[$app]:-not measured (BENCH_STARTS=0)}"; return; fi
  # shellcheck disable=SC2086
  f_with=$(median ${f_ms[$app.cache]}); f_without=$(median ${f_ms[$app.none]})
  f_ratio=$(calc "$f_with / $f_without")
  f_text="$f_with / $f_without ms (ratio **$f_ratio**; each start, with:${f_ms[$app.cache]// /, }; without:${f_ms[$app.none]// /, })${f_note[$app]:+; ${f_note[$app]}}"
  f_text=${f_text//:, /: }
}

# ------------------------------------------------------------------ report
R=$T/results
b_rate=$(val $R/b.txt closed.ok_per_s)
c_rate=$(val $R/c.txt e2e.tasks_per_s)
ratio_b=$(calc "$b_rate / $a_rate")
ratio_c=$(calc "$c_rate / $a_rate")
cold_rate=$(val $R/cold.txt closed.ok_per_s)
ratio_cold=$(calc "$cold_rate / $b_rate")
f_row api-gateway; f_gw_row=$f_text; f_gw_with=$f_with; f_gw_without=$f_without; f_gw_ratio=$f_ratio
f_row task-worker; f_wk_row=$f_text; f_wk_with=$f_with; f_wk_without=$f_without; f_wk_ratio=$f_ratio
f_verdict() { [ -n "$1" ] && verdict "$1" '<=' 0.4 || echo "n/a"; }
mb() { calc "$1" 0; }
gw_rss=$(awk -v a="$(val $R/b.txt watch.gateway.rss_peak_mb)" -v b="$(val $R/c.txt watch.gateway.rss_peak_mb)" \
             -v c="$(val $R/d.txt watch.gateway.rss_peak_mb)" 'BEGIN { m = a; if (b > m) m = b; if (c > m) m = c; printf "%.0f", m }')
wk_rss=$(mb "$(val $R/c.txt watch.worker.rss_peak_mb)")
# The peak's split: anonymous memory (heap, metaspace, code, threads, malloc, dirtied pages of a mapped cache) and
# file-backed pages (the JDK's modules, the jars, the clean pages of a CDS/AOT cache), which the kernel can drop.
gw_peak_file=$R/b.txt
for f in $R/c.txt $R/d.txt; do
  awk -v a="$(val "$f" watch.gateway.rss_peak_mb)" -v b="$(val "$gw_peak_file" watch.gateway.rss_peak_mb)" \
      'BEGIN { exit !(a + 0 > b + 0) }' && gw_peak_file=$f
done
rss_split() { echo "$(mb "$(val "$1" "watch.$2.rss_peak_anon_mb")") anon + $(mb "$(val "$1" "watch.$2.rss_peak_file_mb")") file"; }
gw_rss_split=$(rss_split "$gw_peak_file" gateway); wk_rss_split=$(rss_split $R/c.txt worker)
non2xx=0; connerr=0
for f in cold:closed warmup:closed b:closed d:open c:e2e.post; do
  file=$R/${f%%:*}.txt; key=${f#*:}
  n=$(val "$file" "$key.non2xx"); non2xx=$(( non2xx + ${n:-0} ))
  n=$(val "$file" "$key.conn_errors"); connerr=$(( connerr + ${n:-0} ))
done
d_unanswered=$(val $R/d.txt open.unanswered)
c_left=$(val $R/c.txt e2e.remaining_messages)
cpu_of() {  # cpu_of FILE NAME -> cores used by that process in that phase, or empty
  case "$2" in
    "") ;;
    loadgen) val "$1" loadgen.cpu_cores ;;
    *) val "$1" "watch.$2.cpu_cores" ;;
  esac
}
cpu_row() {  # cpu_row LABEL RESULT gateway-key worker-key broker-key redis-key generator-key
  local f=$R/$2.txt g w b r l busy others
  g=$(cpu_of "$f" "$3"); w=$(cpu_of "$f" "$4"); b=$(cpu_of "$f" "$5"); r=$(cpu_of "$f" "$6"); l=$(cpu_of "$f" "$7")
  busy=$(val "$f" watch.machine.cpu_busy_pct)
  others=$(awk -v busy="${busy:-0}" -v n="$(nproc)" -v a="${g:-0}" -v c="${w:-0}" -v d="${b:-0}" -v e="${l:-0}" \
           -v x="${r:-0}" 'BEGIN { o = busy / 100 * n - a - c - d - e - x; if (o < 0) o = 0; printf "%.2f", o }')
  echo "| $1 | $g | $w | $b | $r | $l | $others | ${busy:-?} % |"
}
log_count() { grep -cE ' (WARN|ERROR) ' "$LOGS/$1.log" 2>/dev/null || true; }
log_top() {  # the most frequent WARN/ERROR messages of an app, ids and thread numbers folded
  grep -E ' (WARN|ERROR) ' "$LOGS/$1.log" 2>/dev/null \
    | sed -E 's/^([0-9]{4}-[0-9-]+[ T])?[0-9:,.]+ +//; s/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<id>/g; s/-[0-9]+\)/-N)/' \
    | cut -c1-320 | sort | uniq -c | sort -rn | head -3 | sed "s/^/$1: /" || true
}
us_ms() { [ -n "$1" ] && calc "$1 / 1000" 2 || echo "?"; }
verdict() { awk -v v="$1" -v t="$3" "BEGIN { exit !(v $2 t) }" && echo PASS || echo "**FAIL**"; }
machine="$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -h | awk '/^Mem:/{print $2}') RAM"
tools_version=$(java -version 2>&1 | head -1 | sed 's/"//g')
caches="gateway: $gw_cache, worker: $wk_cache${train_origin:+, $train_origin}"
mode=$($quick && echo "--quick, ${SECONDS_PER_PHASE}s phases" || echo "${SECONDS_PER_PHASE}s phases")$($api_key && echo ", --api-key (keys file, producer key on every request)" || true)

{
echo "## Conveyor bench, $(date '+%Y-%m-%d %H:%M %Z') ($mode)"
echo
echo "Machine: $machine; RabbitMQ $rabbit_version. Measured: $sources; apps on $app_java_version, JVM options \`$JAVA_OPTS\`;" \
     "their caches: $caches. Load generator and PerfTest on $tools_version."
echo
echo "| | figure | measured | target | |"
echo "|---|---|---:|---|---|"
echo "| a | raw broker: PerfTest, $PERFTEST_QUEUE_TYPE queue, persistent, confirms (window $CONNS), manual ack (default prefetch: unlimited), 512 B, 1 producer + 1 consumer | **$a_rate msg/s** (sent $a_send, received $a_recv) | reference | |"
echo "| a8 | the same with prefetch $WORKER_PREFETCH (the worker's), for comparison with c | $a8_rate msg/s (sent $a8_send, received $a8_recv) | information | |"
echo "| cold | accepted tasks/s in the first ${COLD_SECONDS} s after the gateway is ready, before any warm-up, $CONNS connections, no worker | **$cold_rate /s** (by second: $(val $R/cold.txt closed.ok_by_second)) | | |"
echo "| b | accepted tasks/s (202 after confirm), $CONNS connections, no worker, after ${WARMUP} s of warm-up | **$b_rate /s** | | |"
echo "| c | end to end tasks/s, 1 worker, $E2E_TASKS tasks, first POST to queue drained | **$c_rate /s** ($(val $R/c.txt e2e.seconds) s; posting took $(val $R/c.txt e2e.post_seconds) s) | | |"
echo "| b/a | | **$ratio_b** | ≥ 0.5 | $(verdict "$ratio_b" '>=' 0.5) |"
echo "| c/a | | **$ratio_c** | ≥ 0.33 | $(verdict "$ratio_c" '>=' 0.33) |"
echo "| cold/b | the cold rate against the warm one | **$ratio_cold** | ≥ 0.7 | $(verdict "$ratio_cold" '>=' 0.7) |"
echo "| d0 | the broker's own confirm latency at $RATE msg/s (PerfTest, no consumer), p50 / p99: the floor of d | $(us_ms "${d0_confirm%%/*}") / $(us_ms "${d0_confirm##*/}") ms | information | |"
echo "| d | accept latency at $RATE req/s, open loop, p50 / p99 / max | $(val $R/d.txt open.p50_ms) / **$(val $R/d.txt open.p99_ms)** / $(val $R/d.txt open.max_ms) ms | p99 ≤ 10 ms | $(verdict "$(val $R/d.txt open.p99_ms)" '<=' 10) |"
echo "| e | peak RSS under load: gateway (b, c, d) / worker (c) | $gw_rss / $wk_rss MB | ≤ 200 MB each | $(verdict "$(( gw_rss > wk_rss ? gw_rss : wk_rss ))" '<=' 200) |"
echo "| f | process start to ready: gateway / worker (the starts measured above) | $gw_ready_ms / $wk_ready_ms ms | ≤ 2000 ms each | $(verdict "$(( gw_ready_ms > wk_ready_ms ? gw_ready_ms : wk_ready_ms ))" '<=' 2000) |"
echo "| f gw | gateway start to ready, median of $STARTS alternating starts with / without its cache | $f_gw_row | with ≤ 0.4 × without | $(f_verdict "$f_gw_ratio") |"
echo "| f wk | worker, the same | $f_wk_row | with ≤ 0.4 × without | $(f_verdict "$f_wk_ratio") |"
echo "| errors | non-2xx / connection errors, all phases incl. warm-up | $non2xx / $connerr | 0 | $(verdict "$(( non2xx + connerr ))" '==' 0) |"
echo "| logs | WARN/ERROR lines the apps logged during the run: gateway / worker | $(log_count api-gateway) / $(log_count task-worker) | information | |"
echo
echo "Where the CPU went (cores used, averaged over the phase, from /proc; the machine has $(nproc); \"everything else\" is the rest of the busy time: other processes, interrupts, steal):"
echo
echo "| phase | gateway | worker | broker | Redis | load generator / PerfTest | everything else | machine busy |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
cpu_row "a" perftest "" "" broker "" perftest
cpu_row "a8" perftest-prefetch "" "" broker "" perftest
cpu_row "b" b gateway "" broker redis loadgen
cpu_row "c" c gateway worker broker redis loadgen
cpu_row "d0" perftest-rate "" "" broker "" perftest
cpu_row "d" d gateway "" broker redis loadgen
echo
echo "Other CPU consumers, in cores (interrupts and softirq, where loopback networking is counted, belong to no process):" \
     "a: $(val $R/perftest.txt watch.others); a8: $(val $R/perftest-prefetch.txt watch.others);" \
     "b: $(val $R/b.txt watch.others); c: $(val $R/c.txt watch.others); d: $(val $R/d.txt watch.others)."
echo
echo "Details: (a) confirm latency median/p99 ${a_confirm:-?} µs (PerfTest's own); (b) latency under saturation" \
     "p50/p99 $(val $R/b.txt closed.p50_ms)/$(val $R/b.txt closed.p99_ms) ms; (d) $(val $R/d.txt open.ok) answered of" \
     "$(val $R/d.txt open.requests_scheduled) scheduled, unanswered $d_unanswered, max backlog $(val $R/d.txt open.max_backlog)," \
     "answers over 10 ms by second of the run $(val $R/d.txt open.over_10ms_by_second);" \
     "(c) done by $(val $R/c.txt e2e.done_method), messages left $c_left, posting alone $(val $R/c.txt e2e.post.ok_per_s)/s;" \
     "(e) the peaks' split, gateway $gw_rss_split MB, worker $wk_rss_split MB;" \
     "(f) Quarkus's own \"started in\" (JVM boot not included) ${gw_quarkus_s:-?} s / ${wk_quarkus_s:-?} s;" \
     "(cold) the gateway's JIT compiler threads used $(val $R/cold.txt watch.gateway.jit_cores) of its" \
     "$(val $R/cold.txt watch.gateway.cpu_cores) cores and its VM thread (serial GC) $(val $R/cold.txt watch.gateway.vm_thread_cores)" \
     "(in b: $(val $R/b.txt watch.gateway.jit_cores) of $(val $R/b.txt watch.gateway.cpu_cores), $(val $R/b.txt watch.gateway.vm_thread_cores))," \
     "(cold) first request $(val $R/cold.txt closed.start_after_ready_ms) ms after the readiness answer, p50/p99" \
     "$(val $R/cold.txt closed.p50_ms)/$(val $R/cold.txt closed.p99_ms) ms, purged $cold_purged; statuses b $(val $R/b.txt closed.statuses)," \
     "c $(val $R/c.txt e2e.post.statuses), d $(val $R/d.txt open.statuses)."
logs_top=$( { log_top api-gateway; log_top task-worker; } )
[ -z "$logs_top" ] || { echo; echo "Most frequent warnings in the apps' logs:"; echo '```'; echo "$logs_top"; echo '```'; }
errs=$(grep -h '\.error=' $R/*.txt 2>/dev/null | sort | uniq | head -5 || true)
[ -z "$errs" ] || { echo; echo "Errors seen:"; echo '```'; echo "$errs"; echo '```'; }
} > "$T/latest.md"

# Every figure as key=value, for bench/compare.sh.
{
  echo "java=$app_java_version"; echo "java_major=$app_major"; echo "java_opts=$JAVA_OPTS"; echo "sources=$sources"
  echo "cache.gateway=$gw_cache"; echo "cache.worker=$wk_cache"; echo "cache.origin=${train_origin:-the build}"
  echo "a=$a_rate"; echo "a8=$a8_rate"; echo "b=$b_rate"; echo "c=$c_rate"; echo "cold=$cold_rate"
  echo "cold_by_second=$(val $R/cold.txt closed.ok_by_second)"
  echo "cold.gateway.jit_cores=$(val $R/cold.txt watch.gateway.jit_cores)"; echo "cold.gateway.cpu_cores=$(val $R/cold.txt watch.gateway.cpu_cores)"
  echo "b.gateway.jit_cores=$(val $R/b.txt watch.gateway.jit_cores)"
  echo "b_over_a=$ratio_b"; echo "c_over_a=$ratio_c"; echo "cold_over_b=$ratio_cold"
  echo "d_p50=$(val $R/d.txt open.p50_ms)"; echo "d_p99=$(val $R/d.txt open.p99_ms)"
  echo "rss.gateway=$gw_rss"; echo "rss.worker=$wk_rss"
  echo "rss.gateway.anon=$(mb "$(val "$gw_peak_file" watch.gateway.rss_peak_anon_mb)")"
  echo "rss.gateway.file=$(mb "$(val "$gw_peak_file" watch.gateway.rss_peak_file_mb)")"
  echo "rss.worker.anon=$(mb "$(val $R/c.txt watch.worker.rss_peak_anon_mb)")"
  echo "rss.worker.file=$(mb "$(val $R/c.txt watch.worker.rss_peak_file_mb)")"
  echo "f.gateway=$gw_ready_ms"; echo "f.worker=$wk_ready_ms"
  echo "f.gateway.with=$f_gw_with"; echo "f.gateway.without=$f_gw_without"; echo "f.gateway.ratio=$f_gw_ratio"
  echo "f.worker.with=$f_wk_with"; echo "f.worker.without=$f_wk_without"; echo "f.worker.ratio=$f_wk_ratio"
  echo "errors=$non2xx/$connerr"
  echo "cpu.b.gateway=$(val $R/b.txt watch.gateway.cpu_cores)"
} > "$T/summary.txt"

echo
cat "$T/latest.md"
echo
log "table written to $T/latest.md; raw figures in $R/, app logs in $LOGS/, top during (b) in $T/top-b.txt"
