#!/usr/bin/env bash
# A chaos run: two gateways and three workers on the local cluster (scripts/cluster.sh) while a producer submits tasks
# with idempotency keys, and a fault injector SIGKILLs or SIGTERMs a gateway or a worker, kills a RabbitMQ node or the
# Redis master, then restarts it. At the end it stops injecting, restarts anything down, waits until every accepted
# task is terminal, stops what it started and prints, as its last line:
#
#   ledger: accepted=<n> succeeded=<n> dead=<n> lost=<n> duplicates=<n>
#
#   chaos/run.sh --minutes N [--seed S] [--rate R] [--drain-timeout SECONDS] [--faults KINDS] [--no-faults] [--build]
#
# N may be a fraction (0.5). --faults: which kinds to inject, a comma list of gateway, worker, broker, redis (all).
# --no-faults: the same run without the injector, a baseline (no duplicate expected).
#
# Exits non-zero when a task was lost. Logs in chaos/target/<run-id>/ (see chaos/README.md).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

minutes=2
seed=$(( $(date +%s) % 100000 ))
rate=50
drain_timeout=600
build=false
faults=true
kinds=gateway,worker,broker,redis
usage() {
  echo "usage: $0 --minutes N [--seed S] [--rate R] [--drain-timeout SECONDS] [--faults KINDS] [--no-faults]" \
    "[--build]" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=${2:?}; shift ;;
    --seed) seed=${2:?}; shift ;;
    --rate) rate=${2:?}; shift ;;
    --drain-timeout) drain_timeout=${2:?}; shift ;;
    --build) build=true ;;
    --no-faults) faults=false ;;
    --faults) kinds=${2:?}; shift ;;
    *) usage ;;
  esac
  shift
done
[[ "$minutes" =~ ^[0-9]+(\.[0-9]+)?$ && "$seed" =~ ^[0-9]+$ && "$drain_timeout" =~ ^[0-9]+$ ]] || usage
[[ ",$kinds," =~ ^(,(gateway|worker|broker|redis))+,$ ]] || usage
# The faults to draw from, weighted: a worker and a broker node twice as often as the rest.
choices=()
case ",$kinds," in *,gateway,*) choices+=(gateway-kill gateway-term) ;; esac
case ",$kinds," in *,worker,*) choices+=(worker-kill worker-kill worker-term) ;; esac
case ",$kinds," in *,broker,*) choices+=(broker-kill broker-stop) ;; esac
case ",$kinds," in *,redis,*) choices+=(redis-kill) ;; esac

run_id=$(date -u +%Y%m%dT%H%M%SZ)-seed$seed
run=$root/chaos/target/$run_id
mkdir -p "$run/pids"
say() { echo "[chaos $(date -u +%H:%M:%S)] $*" | tee -a "$run/chaos.log" >&2; }
fault() { echo "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ) $*" >> "$run/faults.log"; say "fault: $*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

. scripts/lib/jdk.sh
use_jdk25

# ------------------------------------------------------------------------------------------------------------ cluster
cluster=scripts/cluster.sh
[ -x "$cluster" ] || { echo "$cluster is missing: the chaos run needs the local cluster" >&2; exit 1; }
# Members down, by name (a status that cannot be read stops the run: it must not take a cluster down it did not start).
members_down() {
  local status
  status=$($cluster status 2>&1) || { say "scripts/cluster.sh status failed: $status"; return 2; }
  awk '$3 == "stopped" { print $1 }' <<<"$status" | tr '\n' ' '
}
cluster_was_up=false
down=$(members_down) || exit 1
if [ "$down" != "rabbit1 rabbit2 rabbit3 redis1 redis2 sentinel1 sentinel2 sentinel3 " ]; then
  cluster_was_up=true
  say "The cluster runs already (left up at the end)${down:+; starting $down}"
else
  say "Bringing the cluster up (scripts/cluster.sh up; brought down at the end)"
fi
if [ -n "$down" ]; then
  $cluster up >> "$run/cluster.log" 2>&1 || { echo "scripts/cluster.sh up failed: see $run/cluster.log" >&2; exit 1; }
fi
set -a
eval "$($cluster env)"
set +a
# Apps that do not read RABBITMQ_ADDRESSES and REDIS_SENTINELS yet get the cluster's first node and first Redis.
if ! grep -q RABBITMQ_ADDRESSES api-gateway/src/main/resources/application.properties; then
  say "These apps read no RABBITMQ_ADDRESSES: they use rabbit1 and redis1 only (no failover)"
  export RABBITMQ_HOST=127.0.0.1 RABBITMQ_PORT=5681 REDIS_URL=redis://127.0.0.1:6391
fi

# ------------------------------------------------------------------------------------------------------------ apps
gateway_jar=api-gateway/target/quarkus-app/quarkus-run.jar
worker_jar=task-worker/target/quarkus-app/quarkus-run.jar
if $build || [ ! -f "$gateway_jar" ] || [ ! -f "$worker_jar" ]; then
  say "Building the jars (./mvnw -pl api-gateway,task-worker -am package -DskipTests)"
  ./mvnw -B -q -pl api-gateway,task-worker -am package -DskipTests > "$run/build.log" 2>&1 ||
    { echo "The build failed: see $run/build.log" >&2; exit 1; }
fi

gateways=(gateway1 gateway2)
workers=(worker1 worker2 worker3)
declare -A port=([gateway1]=8091 [gateway2]=8092 [worker1]=8191 [worker2]=8192 [worker3]=8193)
for app in "${gateways[@]}" "${workers[@]}"; do
  port_open "${port[$app]}" && { echo "Port ${port[$app]} ($app) is in use: stop what runs there first" >&2; exit 1; }
done
gateway_urls=http://127.0.0.1:8091,http://127.0.0.1:8092
jvm_options=${JAVA_OPTS:-$(cat scripts/jvm-options)}

# start_app NAME: starts the gateway or worker NAME in the background, its pid in pids/NAME, its log appended.
start_app() {
  local name=$1 jar=$gateway_jar env=()
  case "$name" in
    worker*) jar=$worker_jar
      env=(CONVEYOR_WORKER_NAME="chaos-$name" CONVEYOR_WORKER_EXECUTION_LOG="$run/executions-$name.log") ;;
  esac
  echo "===== $(date -u +%H:%M:%S) starting $name =====" >> "$run/$name.log"
  (
    cd "$(dirname "$jar")" || exit 1
    aot=()
    [ -f app.aot ] && aot=(-XX:AOTCache=app.aot)
    # shellcheck disable=SC2086
    exec env PORT="${port[$name]}" CONVEYOR_ARTIFACT_DIR="$run/artifacts" "${env[@]}" \
      java $jvm_options "${aot[@]}" -jar quarkus-run.jar
  ) >> "$run/$name.log" 2>&1 &
  echo $! > "$run/pids/$name"
  # Not this shell's job any more: a killed app is reported in faults.log, not by bash.
  disown $!
}
app_pid() { cat "$run/pids/$1" 2>/dev/null; }
app_alive() { local pid; pid=$(app_pid "$1") && kill -0 "$pid" 2>/dev/null; }
ready() { curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:${port[$1]}/q/health/ready"; }
await_ready() { # NAME [SECONDS]
  local deadline=$((SECONDS + ${2:-90}))
  until ready "$1"; do
    app_alive "$1" || { say "$1 exited: see $run/$1.log"; return 1; }
    [ $SECONDS -lt $deadline ] || { say "$1 is not ready after ${2:-90} s"; return 1; }
    sleep 0.5
  done
}
# stop_app NAME SIGNAL [WAIT]: signals it and waits (up to WAIT s, default 60) for it to exit.
stop_app() {
  local pid deadline=$((SECONDS + ${3:-60}))
  pid=$(app_pid "$1") || return 0
  kill "-$2" "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { kill -KILL "$pid" 2>/dev/null; say "$1 did not exit on $2: killed"; }
    sleep 0.2
  done
}

producer_pid=
injector_pid=
cleanup() {
  trap '' INT TERM
  trap - EXIT
  [ -n "$injector_pid" ] && kill "$injector_pid" 2>/dev/null
  [ -n "$producer_pid" ] && kill "$producer_pid" 2>/dev/null
  for app in "${gateways[@]}" "${workers[@]}"; do stop_app "$app" TERM 45 & done
  wait
}
trap 'cleanup; exit 130' INT TERM
trap cleanup EXIT

say "Run $run_id: $minutes min, seed $seed, $rate tasks/s, faults: $($faults && echo "$kinds" || echo none); logs in $run"
for app in "${gateways[@]}" "${workers[@]}"; do start_app "$app"; done
for app in "${gateways[@]}" "${workers[@]}"; do await_ready "$app" 120 || exit 1; done
say "Two gateways (8091, 8092) and three workers (health 8191-8193) are ready"

# ------------------------------------------------------------------------------------------------------------ faults
# One fault at a time: the victim is restarted before the next, so at most one broker node is ever down.
inject() {
  RANDOM=$seed
  local victim node what signal
  while [ ! -f "$run/stop-injecting" ]; do
    sleep $((10 + RANDOM % 21))
    [ -f "$run/stop-injecting" ] && break
    case ${choices[RANDOM % ${#choices[@]}]} in
      gateway-kill) victim=${gateways[RANDOM % 2]}; signal=KILL ;;
      gateway-term) victim=${gateways[RANDOM % 2]}; signal=TERM ;;
      worker-kill) victim=${workers[RANDOM % 3]}; signal=KILL ;;
      worker-term) victim=${workers[RANDOM % 3]}; signal=TERM ;;
      broker-kill) victim=rabbit$((1 + RANDOM % 3)); signal=KILL ;;
      broker-stop) victim=rabbit$((1 + RANDOM % 3)); signal=TERM ;;
      redis-kill) victim=redis-master; signal=KILL ;;
    esac
    case "$victim" in
      gateway*|worker*)
        fault "SIG$signal $victim (pid $(app_pid "$victim"))"
        stop_app "$victim" "$signal" 60
        sleep $((3 + RANDOM % 6))
        start_app "$victim"
        await_ready "$victim" 120 && fault "restarted $victim (pid $(app_pid "$victim")), ready"
        ;;
      rabbit*)
        if [ $signal = KILL ]; then
          fault "kill -9 $victim ($(cluster_line "$victim"))"
          $cluster kill "$victim" >> "$run/cluster.log" 2>&1 || say "scripts/cluster.sh kill $victim failed"
        else
          fault "stop $victim, gracefully ($(cluster_line "$victim"))"
          $cluster stop "$victim" >> "$run/cluster.log" 2>&1 || say "scripts/cluster.sh stop $victim failed"
        fi
        sleep $((3 + RANDOM % 6))
        $cluster start "$victim" >> "$run/cluster.log" 2>&1 && fault "restarted $victim" ||
          say "scripts/cluster.sh start $victim failed: see $run/cluster.log"
        ;;
      redis-master)
        node=$($cluster kill redis-master 2>>"$run/cluster.log" | tee -a "$run/cluster.log" |
          sed -n 's/^redis-master is \(redis[0-9]\).*/\1/p')
        fault "kill -9 redis-master (${node:-?})"
        sleep $((3 + RANDOM % 6))
        $cluster start redis >> "$run/cluster.log" 2>&1 && fault "restarted ${node:-redis} as a replica" ||
          say "scripts/cluster.sh start redis failed: see $run/cluster.log"
        ;;
    esac
  done
}
cluster_line() { $cluster status 2>/dev/null | awk -v n="$1" '$1 == n { $1 = ""; print substr($0, 2) }'; }

: > "$run/faults.log"
if $faults; then
  inject &
  injector_pid=$!
else
  say "No faults (--no-faults)"
fi

say "Producing for $minutes min"
java chaos/Producer.java --gateways "$gateway_urls" --rate "$rate" --seed "$seed" --out "$run" \
  --stop-file "$run/stop-producing" > "$run/producer.out" 2>&1 &
producer_pid=$!

sleep "$(awk -v m="$minutes" 'BEGIN { print m * 60 }')"
say "Time is up: no more faults (waiting for the current one to be undone)"
touch "$run/stop-injecting"
[ -n "$injector_pid" ] && wait "$injector_pid" 2>/dev/null
injector_pid=
touch "$run/stop-producing"
say "Restarting anything down"
down=$(members_down)
if [ -n "$down" ]; then
  fault "cluster members found down at the end: $down"
  $cluster up >> "$run/cluster.log" 2>&1 || say "scripts/cluster.sh up failed: see $run/cluster.log"
fi
for app in "${gateways[@]}" "${workers[@]}"; do
  if ! app_alive "$app"; then
    fault "restarting $app, found down at the end"
    start_app "$app"
  fi
done
for app in "${gateways[@]}" "${workers[@]}"; do await_ready "$app" 120; done
say "Waiting for the producer's submissions under way"
wait "$producer_pid"
producer_pid=
tail -n 1 "$run/producer.log" >&2

say "Waiting (up to $drain_timeout s, less if the queues are empty and nothing moves) until every accepted task is terminal"
java chaos/Ledger.java wait --gateways "$gateway_urls" --run "$run" --timeout-seconds "$drain_timeout" \
  > "$run/drain.log" 2>&1
drained=$?
tail -n 1 "$run/drain.log" >&2
[ $drained -eq 0 ] || say "Not every accepted task is terminal: see summary.txt"
# A last look at the queues, for the summary: anything still in them is a task not run yet.
curl -s -u "$RABBITMQ_USERNAME:$RABBITMQ_PASSWORD" --max-time 5 \
  "$RABBITMQ_MANAGEMENT_URL/api/queues/%2F?columns=name,type,messages,messages_ready,messages_unacknowledged" \
  > "$run/queues.json" 2>/dev/null

say "Stopping the apps"
cleanup
trap - INT TERM
if ! $cluster_was_up; then
  say "Bringing the cluster down (it was not up before the run)"
  $cluster down >> "$run/cluster.log" 2>&1
fi
{
  echo "Run $run_id: $minutes min, seed $seed, $rate tasks/s, faults: $($faults && echo "$kinds" || echo none)"
  echo "Faults injected: $(grep -vc '^.* restart' "$run/faults.log")"
  sed 's/^/  /' "$run/faults.log"
  # The queues holding messages once the tasks were terminal (conveyor.dead holds the dead letters: expected).
  echo "Queues holding messages at the end: $(tr -d '\n' < "$run/queues.json" | sed 's/},{/}\n{/g' |
    sed -n 's/.*"messages":\([1-9][0-9]*\).*"name":"\([^"]*\)".*/\2=\1/p; s/.*"name":"\([^"]*\)".*"messages":\([1-9][0-9]*\).*/\1=\2/p' |
    tr '\n' ' ')"
  echo
} > "$run/run-info.txt"
java chaos/Ledger.java count --run "$run" > "$run/ledger.out" 2>&1
status=$?
# Every log line about each task not terminal, for finding where it went.
awk '$2 !~ /^(SUCCEEDED|DEAD|CANCELLED)$/ { print $1 }' "$run/statuses.txt" 2>/dev/null | while read -r id; do
  echo "== $id: $(grep -h "^$id " "$run/statuses.txt" "$run/accepted.txt" | tr '\n' ' ')"
  grep -H -- "$id" "$run"/gateway*.log "$run"/worker*.log "$run"/executions-*.log 2>/dev/null
done > "$run/lost-details.txt"
[ -s "$run/lost-details.txt" ] || rm -f "$run/lost-details.txt"
cat "$run/run-info.txt" "$run/summary.txt" > "$run/summary.tmp" 2>/dev/null && mv "$run/summary.tmp" "$run/summary.txt"
say "Summary: $run/summary.txt"
if [[ "$(tail -n 1 "$run/ledger.out" 2>/dev/null)" != ledger:* ]]; then
  cat "$run/ledger.out" >&2
  echo "ledger: could not be counted (see $run)"
  exit 1
fi
tail -n 1 "$run/ledger.out"
exit $status
