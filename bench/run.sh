#!/usr/bin/env bash
# Conveyor benchmark: the raw broker reference (RabbitMQ PerfTest) against Conveyor's accepted tasks/s,
# end-to-end tasks/s, accept latency at a fixed rate, memory and startup time, in one run. See bench/README.md.
#
#   bench/run.sh [--quick] [--build | --build-head] [--api-key]
#
#   --quick       every phase ~5 s instead of ~20 s, 5,000 end-to-end tasks instead of 20,000 (for development)
#   --build       rebuild the jars in the tree first (./mvnw -q -B -DskipTests package); without it (or the next
#                 option) the jars found in the tree are used, built only if missing
#   --build-head  build the last commit (git archive HEAD) in bench/target/src and measure those jars: gateway and
#                 worker from the same sources, and no interference with builds running in the tree meanwhile
#   --api-key     run the gateway with a keys file and send every request with a producer's key, as a production
#                 deployment does (authentication, ownership indexes, the quota check); without it the gateway runs
#                 in protected mode and the load generator sends no key
#
# Needs Java 17+ (JDK: javac compiles the load generator), RabbitMQ on 127.0.0.1:5672, curl, and ports 8080 and
# 8081 free. Writes everything under bench/target/ (the table also to bench/target/latest.md). Exits 0 when the
# run completed, whether or not the targets were met; 1 when it could not run.
#
# Environment (all optional): RABBITMQ_HOST/PORT/USERNAME/PASSWORD, RABBITMQCTL (default "rabbitmqctl"; e.g.
# "docker exec rabbitmq rabbitmqctl"; empty to do without), BENCH_VHOST (default conveyor-bench, created and
# deleted by the run when rabbitmqctl works; "/" otherwise), REDIS_URL (default redis://127.0.0.1:6379) and
# BENCH_REDIS_DB (default 15: the apps' task state goes to that database, emptied at the end; "none" leaves
# REDIS_URL alone), BENCH_SECONDS, BENCH_E2E_TASKS, BENCH_CONNECTIONS (64),
# BENCH_RATE (1000), BENCH_WORKER_PORT (8081), BENCH_JAVA_OPTS (JVM options for both apps; default: scripts/jvm-options),
# BENCH_PERFTEST_QUEUE (quorum|classic), BENCH_PERFTEST_ARGS (appended to PerfTest's arguments), and the apps' own
# variables such as CONVEYOR_WORKER_CONCURRENCY and CONVEYOR_WORKER_PREFETCH (the worker's prefetch is also PerfTest's
# in row a8).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
build=false
build_head=false
api_key=false
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    --build) build=true ;;
    --build-head) build_head=true ;;
    --api-key) api_key=true ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "usage: $0 [--quick] [--build | --build-head] [--api-key]" >&2; exit 2 ;;
  esac
done

# ------------------------------------------------------------------ settings
if $quick; then
  SECONDS_PER_PHASE=${BENCH_SECONDS:-5}; E2E_TASKS=${BENCH_E2E_TASKS:-5000}; WARMUP=2
else
  SECONDS_PER_PHASE=${BENCH_SECONDS:-20}; E2E_TASKS=${BENCH_E2E_TASKS:-20000}; WARMUP=30
fi
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
# The apps run with the JVM options the project recommends (scripts/jvm-options, used by scripts/run-local.sh too),
# plus each app's class-data archive when the build made one (quarkus.package.jar.appcds.enabled).
JAVA_OPTS=${BENCH_JAVA_OPTS:-$(cat scripts/jvm-options)}

T=bench/target
LOGS=$T/logs
GW_JAR=api-gateway/target/quarkus-app/quarkus-run.jar
WK_JAR=task-worker/target/quarkus-app/quarkus-run.jar
mkdir -p "$LOGS" "$T/results"
rm -f "$T"/results/*.txt

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }
val() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -1; }           # val FILE KEY
calc() { awk "BEGIN { v = $1; printf \"%.${2:-2}f\", v }"; }          # calc EXPR [decimals]
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
# The load generator needs only the RabbitMQ client (from PerfTest's dependencies) and SLF4J without a backend.
loadgen() { java -Dslf4j.internal.verbosity=ERROR -cp "$T/loadgen:$(echo $T/perftest-lib/amqp-client-*.jar):$(echo $T/perftest-lib/slf4j-api-*.jar)" LoadGen "$@"; }
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
    for _ in $(seq 1 400); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
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
command -v java >/dev/null || die "java not found (Java 17+ needed)"
command -v javac >/dev/null || die "javac not found: install a JDK 17+, not only a JRE"
command -v curl >/dev/null || die "curl not found"
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "${java_major:-0}" -ge 17 ] 2>/dev/null || die "Java 17+ needed, found ${java_major:-?}"
port_open "$MQ_HOST" "$MQ_PORT" || die "RabbitMQ is not reachable on $MQ_HOST:$MQ_PORT"
for p in "$GW_PORT" "$WK_PORT"; do
  if port_open 127.0.0.1 "$p"; then
    die "port $p is in use (another gateway or worker?): stop it or wait; this script never stops what it did not start"
  fi
done

app_src=.
if $build_head; then
  command -v git >/dev/null && git rev-parse --verify -q HEAD >/dev/null || die "--build-head needs a git checkout"
  head=$(git rev-parse HEAD)
  if [ "$(cat "$T/src/.bench-built" 2>/dev/null)" = "$head" ] && [ -f "$T/src/$GW_JAR" ] && [ -f "$T/src/$WK_JAR" ]; then
    log "commit ${head:0:7} already built in $T/src"
  else
    log "building commit ${head:0:7} in $T/src (./mvnw -q -B -DskipTests package; log in $LOGS/build.log)"
    rm -rf "$T/src"; mkdir -p "$T/src"
    git archive --format=tar HEAD | tar -x -C "$T/src"
    (cd "$T/src" && ./mvnw -q -B -DskipTests package) > "$LOGS/build.log" 2>&1 || die "the build failed: see $LOGS/build.log"
    echo "$head" > "$T/src/.bench-built"
  fi
  app_src=$T/src
  sources="commit $(git rev-parse --short HEAD), built by --build-head"
else
  if $build || [ ! -f "$GW_JAR" ] || [ ! -f "$WK_JAR" ]; then
    log "building the apps (./mvnw -q -B -DskipTests package)"
    ./mvnw -q -B -DskipTests package
  fi
  sources="jars from the working tree (gateway built $(date -r "$GW_JAR" '+%H:%M:%S'), worker $(date -r "$WK_JAR" '+%H:%M:%S')) at commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
fi
# Run copies: other builds in this tree may replace the jars while the benchmark runs. Timestamps are kept: the
# class-data archive is refused for a jar whose modification time changed.
rm -rf "$T/apps"; mkdir -p "$T/apps"
cp -rp "$app_src/$(dirname "$GW_JAR")" "$T/apps/api-gateway"
cp -rp "$app_src/$(dirname "$WK_JAR")" "$T/apps/task-worker"

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

# ------------------------------------------------------------------ (f) gateway start -> ready
startup_errors() {  # the distinct warnings and errors of an app's log (a gateway and a worker built from different
                    # sources may disagree on the topology: the broker then refuses the second declaration)
  grep -E ' (WARN|ERROR) ' "$LOGS/$1.log" | sed -E 's/^([0-9]{4}-[0-9-]+[ T])?[0-9:,.]+ +//' | sort | uniq -c | sort -rn | head -5 >&2 || true
}
start_app() {  # start_app NAME JAR PORT -> sets app_pid, app_ready_ms, app_quarkus_s (Quarkus's own "started in")
  local name=$1 jar=$2 port=$3 t0 deadline
  t0=$(now_ms)
  # The class-data archive names its jar relatively: the app starts from its own directory, or the JVM ignores it.
  local cds=""
  [ -f "$(dirname "$jar")/app-cds.jsa" ] && cds="-XX:SharedArchiveFile=app-cds.jsa"
  # shellcheck disable=SC2086
  (cd "$(dirname "$jar")" && PORT=$port exec java $JAVA_OPTS $cds -Dquarkus.http.port="$port" -jar quarkus-run.jar) \
      > "$LOGS/$name.log" 2>&1 &
  app_pid=$!
  pids+=("$app_pid")
  deadline=$((t0 + 60000))
  until curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/q/health/ready"; do
    kill -0 "$app_pid" 2>/dev/null || { startup_errors "$name"; die "$name exited during startup: see $LOGS/$name.log"; }
    [ "$(now_ms)" -lt "$deadline" ] || { startup_errors "$name"; die "$name not ready after 60 s: see $LOGS/$name.log"; }
    sleep 0.01
  done
  app_ready_ms=$(( $(now_ms) - t0 ))
  app_quarkus_s=$(sed -n 's/.* started in \([0-9.]*\)s\..*/\1/p' "$LOGS/$name.log" | head -1)
  if grep -q "Unable to use shared archive" "$LOGS/$name.log"; then
    log "$name: the JVM refused its class-data archive (see $LOGS/$name.log), so (f) was measured without it"
  fi
}
if $api_key; then
  # One producer with a rate far above what this machine can send: the quota is checked on every request, never hit.
  BENCH_API_KEY=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  printf 'bench producer sha256:%s rate=1000000/s\n' "$(printf '%s' "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)" > "$T/api-keys"
  export BENCH_API_KEY CONVEYOR_API_KEYS_FILE="$(cd "$T" && pwd)/api-keys"
  log "(f) the gateway gets a keys file; every request carries the producer key"
fi
log "(f) starting the gateway"
start_app api-gateway "$T/apps/api-gateway/quarkus-run.jar" "$GW_PORT"
gw_pid=$app_pid; gw_ready_ms=$app_ready_ms; gw_quarkus_s=$app_quarkus_s
log "(f) gateway ready after $gw_ready_ms ms"

URL="http://127.0.0.1:$GW_PORT/api/v1/tasks"
loadgen amqp --op purge --queue "$TASK_QUEUE" --amqp-uri "$AMQP_URI" >/dev/null

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
start_app task-worker "$T/apps/task-worker/quarkus-run.jar" "$WK_PORT"
wk_pid=$app_pid; wk_ready_ms=$app_ready_ms; wk_quarkus_s=$app_quarkus_s
log "(f) worker ready after $wk_ready_ms ms"

# Like the gateway before (b), the worker gets a warm-up before it is measured: a fresh JVM runs its first tasks
# interpreted and compiles for a while. The warm-up, twice as many tasks as (c), is not measured: on a 2-vCPU VM the
# worker's CPU per task over successive rounds of 20,000 was 789, 429, 197, then 143-209 µs.
# The end of (c) is when the worker's own count of succeeded tasks rose by the number posted (its Prometheus counter,
# polled every 10-100 ms, the more often the nearer the end); the queue is then checked to be empty. Broker-side
# checks alone know the end only to within a rabbitmqctl call (1-3 s on a busy 2-vCPU machine), which was most of the
# difference between runs.
DONE_METRIC="http://127.0.0.1:$WK_PORT/q/metrics#conveyor_tasks_succeeded_total"
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
  for _ in $(seq 1 400); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; forget "$pid"; }
done

# ------------------------------------------------------------------ report
R=$T/results
b_rate=$(val $R/b.txt closed.ok_per_s)
c_rate=$(val $R/c.txt e2e.tasks_per_s)
ratio_b=$(calc "$b_rate / $a_rate")
ratio_c=$(calc "$c_rate / $a_rate")
mb() { calc "$1" 0; }
gw_rss=$(awk -v a="$(val $R/b.txt watch.gateway.rss_peak_mb)" -v b="$(val $R/c.txt watch.gateway.rss_peak_mb)" \
             -v c="$(val $R/d.txt watch.gateway.rss_peak_mb)" 'BEGIN { m = a; if (b > m) m = b; if (c > m) m = c; printf "%.0f", m }')
wk_rss=$(mb "$(val $R/c.txt watch.worker.rss_peak_mb)")
non2xx=0; connerr=0
for f in warmup:closed b:closed d:open c:e2e.post; do
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
java_version=$(java -version 2>&1 | head -1 | sed 's/"//g')
mode=$($quick && echo "--quick, ${SECONDS_PER_PHASE}s phases" || echo "${SECONDS_PER_PHASE}s phases")$($api_key && echo ", --api-key (keys file, producer key on every request)" || true)

{
echo "## Conveyor bench, $(date '+%Y-%m-%d %H:%M %Z') ($mode)"
echo
echo "Machine: $machine; RabbitMQ $rabbit_version; $java_version. Measured: $sources."
echo
echo "| | figure | measured | target | |"
echo "|---|---|---:|---|---|"
echo "| a | raw broker: PerfTest, $PERFTEST_QUEUE_TYPE queue, persistent, confirms (window $CONNS), manual ack (default prefetch: unlimited), 512 B, 1 producer + 1 consumer | **$a_rate msg/s** (sent $a_send, received $a_recv) | reference | |"
echo "| a8 | the same with prefetch $WORKER_PREFETCH (the worker's), for comparison with c | $a8_rate msg/s (sent $a8_send, received $a8_recv) | information | |"
echo "| b | accepted tasks/s (202 after confirm), $CONNS connections, no worker | **$b_rate /s** | | |"
echo "| c | end to end tasks/s, 1 worker, $E2E_TASKS tasks, first POST to queue drained | **$c_rate /s** ($(val $R/c.txt e2e.seconds) s; posting took $(val $R/c.txt e2e.post_seconds) s) | | |"
echo "| b/a | | **$ratio_b** | ≥ 0.5 | $(verdict "$ratio_b" '>=' 0.5) |"
echo "| c/a | | **$ratio_c** | ≥ 0.33 | $(verdict "$ratio_c" '>=' 0.33) |"
echo "| d0 | the broker's own confirm latency at $RATE msg/s (PerfTest, no consumer), p50 / p99: the floor of d | $(us_ms "${d0_confirm%%/*}") / $(us_ms "${d0_confirm##*/}") ms | information | |"
echo "| d | accept latency at $RATE req/s, open loop, p50 / p99 / max | $(val $R/d.txt open.p50_ms) / **$(val $R/d.txt open.p99_ms)** / $(val $R/d.txt open.max_ms) ms | p99 ≤ 10 ms | $(verdict "$(val $R/d.txt open.p99_ms)" '<=' 10) |"
echo "| e | peak RSS under load: gateway (b, c, d) / worker (c) | $gw_rss / $wk_rss MB | ≤ 200 MB each | $(verdict "$(( gw_rss > wk_rss ? gw_rss : wk_rss ))" '<=' 200) |"
echo "| f | process start to ready: gateway / worker | $gw_ready_ms / $wk_ready_ms ms | ≤ 2000 ms each | $(verdict "$(( gw_ready_ms > wk_ready_ms ? gw_ready_ms : wk_ready_ms ))" '<=' 2000) |"
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
     "(f) Quarkus's own \"started in\" (JVM boot not included) ${gw_quarkus_s:-?} s / ${wk_quarkus_s:-?} s; statuses b $(val $R/b.txt closed.statuses)," \
     "c $(val $R/c.txt e2e.post.statuses), d $(val $R/d.txt open.statuses)."
logs_top=$( { log_top api-gateway; log_top task-worker; } )
[ -z "$logs_top" ] || { echo; echo "Most frequent warnings in the apps' logs:"; echo '```'; echo "$logs_top"; echo '```'; }
errs=$(grep -h '\.error=' $R/*.txt 2>/dev/null | sort | uniq | head -5 || true)
[ -z "$errs" ] || { echo; echo "Errors seen:"; echo '```'; echo "$errs"; echo '```'; }
} > "$T/latest.md"

echo
cat "$T/latest.md"
echo
log "table written to $T/latest.md; raw figures in $R/, app logs in $LOGS/, top during (b) in $T/top-b.txt"
