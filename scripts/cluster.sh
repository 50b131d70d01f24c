#!/usr/bin/env bash
# A local test cluster beside (never touching) the RabbitMQ node on 5672 and the Redis on 6379: three clustered
# RabbitMQ nodes and a Redis master, one replica and three sentinels, for trying Conveyor against node failures and
# Redis failovers on one machine. Uses Debian's rabbitmq-server (3.10) and redis-server (7.0); run it as root.
#
#   scripts/cluster.sh up              start what is not running (idempotent), wait until all is ready
#   scripts/cluster.sh down            stop everything and remove the data dir
#   scripts/cluster.sh status          one line per member: port, running, role, the cluster's running nodes
#   scripts/cluster.sh env             shell lines for the apps: eval "$(scripts/cluster.sh env)"
#   scripts/cluster.sh kill NODE       kill -9 rabbit1|rabbit2|rabbit3|redis1|redis2|redis-master (sentinel's master)
#   scripts/cluster.sh start NODE      restart rabbit1..3 (rejoins by itself), or `redis`: every stopped Redis,
#                                      as a replica of the master sentinel reports (never as an empty master)
#   scripts/cluster.sh stop NODE       graceful stop (rabbitmqctl stop; SIGTERM for redis1|redis2)
#   scripts/cluster.sh leader QUEUE    which of rabbit1..3 leads the quorum queue QUEUE (vhost /)
#
# Ports: RabbitMQ nodes conveyor-rabbit{1,2,3}@localhost: AMQP 5681-5683, Erlang distribution 25681-25683,
# management 15681-15683, and an AMQPS listener on node 1 at 5691 (CA, server and client certificates generated
# once into the data dir; verify_peer, a client certificate optional). Redis 6391 (first master), 6392 (replica),
# sentinels 26391-26393 watching the master `conveyor` (quorum 2, down after 2 s, failover timeout 5 s).
# Everything listens on 127.0.0.1 only. The nodes use their own config, enabled_plugins (management only) and
# Erlang cookie, all in the data dir: ${CONVEYOR_CLUSTER_DIR:-${TMPDIR:-/tmp}/conveyor-cluster}. Users: guest
# (from localhost) and `conveyor` (administrator, full permissions on /), with a password generated into the data dir.
set -euo pipefail

dir=${CONVEYOR_CLUSTER_DIR:-${TMPDIR:-/tmp}/conveyor-cluster}
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac
script_dir=$(cd "$(dirname "$0")" && pwd)

# Debian's /usr/sbin/rabbitmq-server and rabbitmqctl switch to the rabbitmq user and drop the environment, which
# would point them at the default node's cookie and files: call the scripts they wrap.
if [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  rmq_bin=/usr/lib/rabbitmq/bin
else
  rmq_bin=$(dirname "$(readlink -f "$(command -v rabbitmq-server)")")
fi

rabbits=(rabbit1 rabbit2 rabbit3)
redises=(redis1 redis2)
sentinels=(sentinel1 sentinel2 sentinel3)
master_name=conveyor
tls_port=5691

say() { echo "[cluster ${SECONDS}s] $*"; }
fail() { echo "cluster.sh: $*" >&2; exit 1; }

port_of() {
  case "$1" in
    rabbit[123]) echo $((5680 + ${1#rabbit})) ;;
    redis[12]) echo $((6390 + ${1#redis})) ;;
    sentinel[123]) echo $((26390 + ${1#sentinel})) ;;
    *) return 1 ;;
  esac
}
redis_at() { echo "redis$(($1 - 6390))"; } # PORT: the Redis instance's name
node_of() { echo "conveyor-$1@localhost"; } # rabbitN: its Erlang node name
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The pid of a member's server process, or fails. Pid files go stale on kill -9, so: a RabbitMQ node's beam.smp is
# found by the markers every process it starts inherits (its name and this data dir); Redis overwrites its
# environment with its process title, so a Redis or sentinel by its pid file and that title (redis-server ...:PORT).
member_pid() {
  local environ pid comm cmdline
  case "$1" in
    rabbit*)
      for environ in $(grep -lzxsF "CONVEYOR_CLUSTER_MEMBER=$1" /proc/[0-9]*/environ |
        xargs -r grep -lzxsF "CONVEYOR_CLUSTER_DIR=$dir"); do
        pid=${environ#/proc/}
        pid=${pid%/environ}
        read -r comm <"/proc/$pid/comm" 2>/dev/null || continue
        [ "$comm" = beam.smp ] && echo "$pid" && return 0
      done
      ;;
    *)
      read -r pid 2>/dev/null <"$dir/$1/$1.pid" || return 1
      cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
      case "$cmdline " in "redis-server 127.0.0.1:$(port_of "$1") "*) echo "$pid" && return 0 ;; esac
      ;;
  esac
  return 1
}
running() { member_pid "$1" >/dev/null; }

# Every process the members started (the RabbitMQ wrapper shell, erl_child_setup, ...), but never epmd: a node starts
# one when none runs, and the default node on 5672 then shares it.
all_member_pids() {
  local environ pid comm r
  for environ in $(grep -lzxsF "CONVEYOR_CLUSTER_DIR=$dir" /proc/[0-9]*/environ); do
    pid=${environ#/proc/}
    pid=${pid%/environ}
    read -r comm <"/proc/$pid/comm" 2>/dev/null || continue
    [ "$comm" = epmd ] || echo "$pid"
  done
  for r in "${redises[@]}" "${sentinels[@]}"; do member_pid "$r" || true; done
}

# ---------------------------------------------------------------------------------------------------------------- RabbitMQ

# The environment of the CLI tools and the nodes: this cluster's cookie (HOME), no /etc/rabbitmq/rabbitmq-env.conf.
rabbit_env() {
  export HOME="$dir/erlang-home" RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" ERL_EPMD_ADDRESS=127.0.0.1
  unset ERL_FLAGS RABBITMQ_NODENAME RABBITMQ_NODE_PORT RABBITMQ_DIST_PORT
}
ctl() { # rabbitN ARGS...
  local name=$1
  shift
  (rabbit_env && exec timeout 120 "$rmq_bin/rabbitmqctl" -n "$(node_of "$name")" "$@")
}

write_rabbit_config() { # rabbitN
  local name=$1 n=${1#rabbit} nd="$dir/$1"
  mkdir -p "$nd/mnesia" "$nd/log"
  echo '[rabbitmq_management].' >"$nd/enabled_plugins"
  {
    echo "listeners.tcp.1 = 127.0.0.1:$(port_of "$name")"
    echo "management.tcp.ip = 127.0.0.1"
    echo "management.tcp.port = $((15680 + n))"
    if [ "$n" = 1 ]; then
      echo "listeners.ssl.1 = 127.0.0.1:$tls_port"
      echo "ssl_options.cacertfile = $dir/tls/ca.crt"
      echo "ssl_options.certfile = $dir/tls/server.crt"
      echo "ssl_options.keyfile = $dir/tls/server.key"
      echo "ssl_options.verify = verify_peer"
      echo "ssl_options.fail_if_no_peer_cert = false"
    fi
  } >"$nd/rabbitmq.conf"
}

# Daemons keep only stdin, stdout and stderr: a descriptor they inherited would stay open for as long as they run,
# and a lock the caller holds on it (flock around a test run, CI) would never be released.
close_inherited_fds() { # closes every descriptor above 2 of the calling (sub)shell, before it execs a daemon
  local fd
  for fd in $(ls "/proc/$BASHPID/fd"); do
    if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
  done
}

start_rabbit() { # rabbitN: starts the node in the background (its own session); wait_rabbit waits for it
  local name=$1 n=${1#rabbit} nd="$dir/$1"
  write_rabbit_config "$name"
  (
    rabbit_env
    export RABBITMQ_NODENAME="$(node_of "$name")" RABBITMQ_DIST_PORT=$((25680 + n)) \
      RABBITMQ_MNESIA_BASE="$nd/mnesia" RABBITMQ_LOG_BASE="$nd/log" RABBITMQ_PID_FILE="$nd/rabbit.pid" \
      RABBITMQ_CONFIG_FILE="$nd/rabbitmq.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$nd/advanced.config" \
      RABBITMQ_ENABLED_PLUGINS_FILE="$nd/enabled_plugins" \
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
      CONVEYOR_CLUSTER_MEMBER="$name" CONVEYOR_CLUSTER_DIR="$dir"
    rm -f "$RABBITMQ_PID_FILE"
    cd "$nd"
    (close_inherited_fds && exec setsid "$rmq_bin/rabbitmq-server") >>"$nd/log/console.log" 2>&1 </dev/null &
  )
}

wait_rabbit() { # rabbitN: until its rabbit application runs
  ctl "$1" wait --timeout 120 "$dir/$1/rabbit.pid" >/dev/null 2>&1 ||
    fail "$1 did not start: see $dir/$1/log/"
}

cluster_running_nodes() { # rabbitN to ask: the cluster's running members, as rabbit1 rabbit2 ...
  ctl "$1" cluster_status --formatter json 2>/dev/null |
    sed -n 's/.*"running_nodes":\[\([^]]*\)\].*/\1/p' | tr ',' '\n' | sed -n 's/"conveyor-\(rabbit[0-9]\)@localhost"/\1/p' |
    sort | tr '\n' ' ' | sed 's/ $//'
}
cluster_disc_nodes() {
  ctl "$1" cluster_status --formatter json 2>/dev/null |
    sed -n 's/.*"disk_nodes":\[\([^]]*\)\].*/\1/p' | tr ',' '\n' | sed -n 's/"conveyor-\(rabbit[0-9]\)@localhost"/\1/p' |
    sort | tr '\n' ' ' | sed 's/ $//'
}
first_running_rabbit() {
  local r
  for r in "${rabbits[@]}"; do running "$r" && echo "$r" && return 0; done
  return 1
}

ensure_tls() {
  local t="$dir/tls"
  [ -f "$t/client.p12" ] && return 0
  say "Generating a CA, a server certificate (localhost, 127.0.0.1) and a client certificate in $t"
  mkdir -p "$t"
  (
    cd "$t"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Conveyor test cluster CA" \
      -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile server.ext \
      -out server.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=conveyor-client" -keyout client.key -out client.csr 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile client.ext \
      -out client.crt 2>/dev/null
    rm -f server.csr client.csr server.ext client.ext
    # A truststore Java reads as trusted certificates needs keytool (openssl 3.0 cannot mark them so).
    . "$script_dir/lib/jdk.sh"
    use_jdk25 2>/dev/null || fail "no JDK 25 for keytool (the PKCS12 truststore)"
    rm -f truststore.p12
    keytool -importcert -noprompt -alias conveyor-cluster-ca -file ca.crt -keystore truststore.p12 \
      -storetype PKCS12 -storepass changeit >/dev/null 2>&1
    openssl pkcs12 -export -name conveyor-client -in client.crt -inkey client.key -certfile ca.crt \
      -out client.p12.tmp -passout pass:changeit
    mv client.p12.tmp client.p12
  ) || fail "generating the TLS files failed"
}

rabbit_up() {
  local r started=() pw members
  mkdir -p "$dir/erlang-home"
  [ -f "$dir/erlang-home/.erlang.cookie" ] ||
    (umask 077 && openssl rand -hex 20 | tr -d '\n' >"$dir/erlang-home/.erlang.cookie")
  [ -f "$dir/rabbitmq-password" ] || (umask 077 && openssl rand -hex 16 >"$dir/rabbitmq-password")
  : >"$dir/rabbitmq-env.conf"
  ensure_tls
  for r in "${rabbits[@]}"; do
    if running "$r"; then continue; fi
    port_open "$(port_of "$r")" && fail "port $(port_of "$r") is taken by a process that is not $r"
    start_rabbit "$r"
    started+=("$r")
  done
  [ ${#started[@]} -eq 0 ] || say "Started ${started[*]}; waiting for them"
  # In parallel: a node that was clustered waits at boot for the others.
  for r in "${rabbits[@]}"; do wait_rabbit "$r" & done
  wait_all_or_fail
  members=" $(cluster_disc_nodes rabbit1) "
  for r in rabbit2 rabbit3; do
    case "$members" in *" $r "*) continue ;; esac
    say "Joining $r to rabbit1"
    # (The CLI logs harmless feature-flag warnings while joining: into the node's log dir.)
    {
      ctl "$r" stop_app && ctl "$r" reset && ctl "$r" join_cluster "$(node_of rabbit1)" && ctl "$r" start_app
    } >>"$dir/$r/log/join.log" 2>&1 || fail "joining $r to rabbit1 failed: see $dir/$r/log/join.log"
  done
  pw=$(cat "$dir/rabbitmq-password")
  if [ "$(curl -s -o /dev/null -w '%{http_code}' -u "conveyor:$pw" http://127.0.0.1:15681/api/whoami)" != 200 ]; then
    say "Creating the user conveyor (administrator, full permissions on /)"
    ctl rabbit1 list_users -q 2>/dev/null | cut -f1 | grep -qx conveyor ||
      ctl rabbit1 add_user conveyor "$pw" >/dev/null
    ctl rabbit1 set_user_tags conveyor administrator >/dev/null
    ctl rabbit1 set_permissions -p / conveyor '.*' '.*' '.*' >/dev/null
  fi
  members=$(cluster_running_nodes rabbit1)
  [ "$members" = "rabbit1 rabbit2 rabbit3" ] || fail "the RabbitMQ cluster runs [$members], not all three"
  say "RabbitMQ cluster running: $members"
}

wait_all_or_fail() {
  local job status=0
  for job in $(jobs -p); do wait "$job" || status=1; done
  [ $status -eq 0 ] || exit 1
}

# ---------------------------------------------------------------------------------------------------------------- Redis

rcli() { redis-cli -h 127.0.0.1 -p "$@"; }

start_redis() { # redisN [MASTER_PORT]
  local name=$1 master=${2:-} nd="$dir/$1" port
  port=$(port_of "$1")
  port_open "$port" && fail "port $port is taken by a process that is not $name"
  mkdir -p "$nd"
  (close_inherited_fds && CONVEYOR_CLUSTER_MEMBER="$name" CONVEYOR_CLUSTER_DIR="$dir" exec redis-server --port "$port" \
    --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --pidfile "$nd/$name.pid" --logfile "$nd/redis.log" \
    --dir "$nd" ${master:+--replicaof 127.0.0.1 "$master"})
  wait_until 20 "$name answers" redis_answers "$port"
}
redis_answers() { [ "$(rcli "$1" ping 2>/dev/null)" = PONG ]; }
redis_role() { rcli "$1" info replication 2>/dev/null | tr -d '\r' | sed -n 's/^role://p'; }
replica_linked() { rcli "$1" info replication 2>/dev/null | tr -d '\r' | grep -qx 'master_link_status:up'; }

wait_until() { # SECONDS WHAT COMMAND...: polls every 0.2 s
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "timed out waiting until $what"
    sleep 0.2
  done
}

# The master the sentinels report (its port), from the first sentinel that answers; nothing when none does.
sentinel_master_port() {
  local s out
  for s in "${sentinels[@]}"; do
    out=$(rcli "$(port_of "$s")" sentinel get-master-addr-by-name "$master_name" 2>/dev/null | sed -n 2p) || continue
    [ -n "$out" ] && echo "$out" && return 0
  done
  return 1
}
# A master that runs and is a master, other than EXCEPT: sentinel's, else (no sentinel answers) a running master.
live_master_port() { # [EXCEPT]
  local m r
  if m=$(sentinel_master_port); then
    [ "$m" != "${1:-}" ] && running "$(redis_at "$m")" && [ "$(redis_role "$m")" = master ] && echo "$m" && return 0
    return 1
  fi
  for r in "${redises[@]}"; do
    m=$(port_of "$r")
    [ "$m" != "${1:-}" ] && running "$r" && [ "$(redis_role "$m")" = master ] && echo "$m" && return 0
  done
  return 1
}

start_sentinel() { # sentinelN MASTER_PORT
  local name=$1 nd="$dir/$1" port
  port=$(port_of "$1")
  port_open "$port" && fail "port $port is taken by a process that is not $name"
  mkdir -p "$nd"
  # Written afresh on every start (sentinel rewrites it as it learns): the others forget the old run id by its address.
  cat >"$nd/sentinel.conf" <<EOF
port $port
bind 127.0.0.1
daemonize yes
pidfile $nd/$name.pid
logfile $nd/sentinel.log
dir $nd
sentinel monitor $master_name 127.0.0.1 $2 2
sentinel down-after-milliseconds $master_name 2000
sentinel failover-timeout $master_name 5000
sentinel parallel-syncs $master_name 1
EOF
  (close_inherited_fds && CONVEYOR_CLUSTER_MEMBER="$name" CONVEYOR_CLUSTER_DIR="$dir" exec redis-server \
    "$nd/sentinel.conf" --sentinel)
  wait_until 20 "$name answers" redis_answers "$port"
}

sentinels_agree() { # MASTER_PORT: every sentinel reports it, with 1 replica and 2 other sentinels
  local s info
  for s in "${sentinels[@]}"; do
    info=$(rcli "$(port_of "$s")" sentinel master "$master_name" 2>/dev/null | paste - - | tr -d '\r') || return 1
    grep -qx "port	$1" <<<"$info" || return 1
    grep -qx "num-slaves	1" <<<"$info" || return 1
    grep -qx "num-other-sentinels	2" <<<"$info" || return 1
    grep -qx "flags	master" <<<"$info" || return 1
  done
}

redis_up() {
  local r s m other started=()
  if ! running redis1 && ! running redis2; then
    m=$(sentinel_master_port) || m=6391
    [ "$m" = 6391 ] || [ "$m" = 6392 ] || m=6391
    start_redis "$(redis_at "$m")"
    started+=("$(redis_at "$m")(master)")
  fi
  if ! m=$(live_master_port); then
    say "Waiting for the sentinels to report a running master"
    wait_until 30 "the sentinels report a running master" live_master_port >/dev/null
    m=$(live_master_port)
  fi
  for r in "${redises[@]}"; do
    running "$r" && continue
    start_redis "$r" "$m"
    started+=("$r(replica of $m)")
  done
  other=$(port_of "$(redis_at $((6391 + 6392 - m)))")
  wait_until 30 "the replica on $other is linked to its master" replica_linked "$other"
  for s in "${sentinels[@]}"; do
    running "$s" && continue
    start_sentinel "$s" "$m"
    started+=("$s")
  done
  [ ${#started[@]} -eq 0 ] || say "Started ${started[*]}"
  wait_until 30 "every sentinel reports master $m with 1 replica and 2 other sentinels" sentinels_agree "$m"
  say "Redis master on $m, replica on $other, 3 sentinels agree"
}

# ---------------------------------------------------------------------------------------------------------------- commands

cmd_up() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || fail "needs redis-server and redis-cli"
  [ -x "$rmq_bin/rabbitmq-server" ] || fail "needs RabbitMQ's rabbitmq-server"
  mkdir -p "$dir"
  rabbit_up &
  local rabbit_job=$!
  trap 'kill "$rabbit_job" 2>/dev/null' EXIT
  redis_up
  wait "$rabbit_job" || fail "RabbitMQ did not come up"
  trap - EXIT
  say "Ready. Data dir: $dir. eval \"\$($0 env)\" for the apps' settings."
}

cmd_down() {
  local pids r
  for r in "${rabbits[@]}"; do running "$r" && ctl "$r" stop >/dev/null 2>&1 & done
  for r in "${redises[@]}" "${sentinels[@]}"; do
    pid=$(member_pid "$r") && kill -TERM "$pid" 2>/dev/null
  done
  wait
  pids=$(all_member_pids)
  local deadline=$((SECONDS + 15))
  while [ -n "$pids" ] && [ $SECONDS -lt $deadline ]; do
    sleep 0.2
    pids=$(all_member_pids)
  done
  if [ -n "$pids" ]; then
    say "Killing what did not stop: $(echo $pids)"
    kill -9 $pids 2>/dev/null || true
    sleep 0.5
  fi
  rm -rf "$dir" "$dir.lock"
  say "Stopped the cluster and removed $dir"
}

cmd_kill() {
  local name=${1:-} pid m
  case "$name" in
    rabbit[123] | redis[12]) ;;
    redis-master)
      m=$(sentinel_master_port) || fail "no sentinel answers"
      name=$(redis_at "$m")
      echo "redis-master is $name (port $m)"
      ;;
    *) fail "kill what? rabbit1|rabbit2|rabbit3|redis1|redis2|redis-master" ;;
  esac
  pid=$(member_pid "$name") || fail "$name is not running"
  kill -9 "$pid"
  say "Killed $name (port $(port_of "$name"), pid $pid)"
}

cmd_start() {
  local name=${1:-} r m any=false
  case "$name" in
    rabbit[123])
      running "$name" && { say "$name already runs"; return 0; }
      start_rabbit "$name"
      wait_rabbit "$name"
      say "Started $name; the cluster runs: $(cluster_running_nodes "$name")"
      ;;
    redis | redis[12])
      for r in "${redises[@]}"; do
        [ "$name" = redis ] || [ "$name" = "$r" ] || continue
        running "$r" && continue
        any=true
        m=$(live_master_port "$(port_of "$r")") || {
          say "Waiting for the sentinels to report a running master other than $r"
          wait_until 30 "the sentinels report a running master other than $r" live_master_port "$(port_of "$r")" \
            >/dev/null
          m=$(live_master_port "$(port_of "$r")")
        }
        start_redis "$r" "$m"
        wait_until 30 "$r is linked to its master $m" replica_linked "$(port_of "$r")"
        say "Started $r on $(port_of "$r") as a replica of $m"
      done
      $any || say "No Redis instance was stopped"
      ;;
    *) fail "start what? rabbit1|rabbit2|rabbit3|redis" ;;
  esac
}

cmd_stop() {
  local name=${1:-} pid
  case "$name" in
    rabbit[123])
      running "$name" || fail "$name is not running"
      ctl "$name" stop >/dev/null
      wait_until 30 "$name exits" eval "! running $name"
      say "Stopped $name"
      ;;
    redis[12])
      pid=$(member_pid "$name") || fail "$name is not running"
      kill -TERM "$pid"
      wait_until 20 "$name exits" eval "! running $name"
      say "Stopped $name"
      ;;
    *) fail "stop what? rabbit1|rabbit2|rabbit3|redis1|redis2" ;;
  esac
}

cmd_status() {
  local r p state first members="" role info
  if first=$(first_running_rabbit); then members=$(cluster_running_nodes "$first"); fi
  for r in "${rabbits[@]}"; do
    p=$(port_of "$r")
    if running "$r"; then state=running; else state=stopped; fi
    printf '%-10s %-6s %-8s cluster running: %s\n' "$r" "$p" "$state" "${members:-?}"
  done
  for r in "${redises[@]}"; do
    p=$(port_of "$r")
    role=""
    if running "$r"; then
      state=running
      info=$(rcli "$p" info replication 2>/dev/null | tr -d '\r')
      role=$(sed -n 's/^role://p' <<<"$info")
      case "$role" in
        master) role="master, $(sed -n 's/^connected_slaves://p' <<<"$info") replica(s)" ;;
        slave) role="replica of $(sed -n 's/^master_port://p' <<<"$info"), link $(sed -n 's/^master_link_status://p' <<<"$info")" ;;
      esac
    else state=stopped; fi
    printf '%-10s %-6s %-8s %s\n' "$r" "$p" "$state" "$role"
  done
  for r in "${sentinels[@]}"; do
    p=$(port_of "$r")
    role=""
    if running "$r"; then
      state=running
      info=$(rcli "$p" sentinel master "$master_name" 2>/dev/null | paste - - | tr -d '\r')
      role="master $(sed -n 's/^port\t//p' <<<"$info") ($(sed -n 's/^flags\t//p' <<<"$info")),"
      role+=" $(sed -n 's/^num-slaves\t//p' <<<"$info") replica(s), $(sed -n 's/^num-other-sentinels\t//p' <<<"$info") other sentinels"
    else state=stopped; fi
    printf '%-10s %-6s %-8s %s\n' "$r" "$p" "$state" "$role"
  done
}

cmd_leader() {
  local queue=${1:-} first line
  [ -n "$queue" ] || fail "leader of which queue?"
  first=$(first_running_rabbit) || fail "no RabbitMQ node runs"
  line=$(ctl "$first" list_queues -p / -q --no-table-headers name type leader 2>/dev/null |
    awk -F'\t' -v q="$queue" '$1 == q')
  [ -n "$line" ] || fail "no queue $queue in vhost /"
  case "$line" in *$'\t'quorum$'\t'*) ;; *) fail "$queue is not a quorum queue: $line" ;; esac
  line=${line##*$'\t'}
  [ -n "$line" ] || fail "$queue has no leader now"
  echo "$line" | sed 's/^conveyor-\(rabbit[0-9]\)@localhost$/\1/'
}

cmd_env() {
  [ -f "$dir/rabbitmq-password" ] || fail "no cluster in $dir: run $0 up"
  echo "RABBITMQ_ADDRESSES=127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683"
  echo "RABBITMQ_USERNAME=conveyor"
  echo "RABBITMQ_PASSWORD=$(cat "$dir/rabbitmq-password")"
  echo "RABBITMQ_MANAGEMENT_URL=http://127.0.0.1:15681"
  echo "REDIS_SENTINELS=127.0.0.1:26391,127.0.0.1:26392,127.0.0.1:26393"
  echo "REDIS_MASTER_NAME=$master_name"
  echo "CONVEYOR_QUORUM_REPLICAS=3"
  echo "CONVEYOR_STATE_REPLICAS=1"
  echo "CLUSTER_TLS_CA=$(printf %q "$dir/tls/ca.crt")"
  echo "CLUSTER_TLS_TRUST_STORE=$(printf %q "$dir/tls/truststore.p12")"
  echo "CLUSTER_TLS_KEY_STORE=$(printf %q "$dir/tls/client.p12")"
  echo "CLUSTER_TLS_STORE_PASSWORD=changeit"
  echo "CLUSTER_TLS_PORT=$tls_port"
}

command=${1:-}
[ $# -gt 0 ] && shift
# One command that changes the cluster at a time (beside the data dir, which down removes).
case "$command" in
  up | down | kill | start | stop)
    exec 9>"$dir.lock"
    flock -w 300 9 || fail "another cluster.sh still runs ($dir.lock)"
    ;;
esac
case "$command" in
  up) cmd_up ;;
  down) cmd_down ;;
  kill) cmd_kill "$@" ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status ;;
  leader) cmd_leader "$@" ;;
  env) cmd_env ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
