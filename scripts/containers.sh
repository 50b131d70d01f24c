#!/usr/bin/env bash
# A container engine for machines without Docker: installs and configures podman (Debian's package) and starts its
# Docker-compatible API socket. Idempotent: run it as often as you like; what is already in place is left alone.
#
#   scripts/containers.sh            install/configure podman, start the socket, print DOCKER_HOST=...
#   scripts/containers.sh env        print only `export DOCKER_HOST=...` (for eval)
#   scripts/containers.sh stop       stop the API socket (containers and images stay)
#
# Users who have Docker need none of this. Why each setting (see CONTRIBUTING, "Containers without Docker"):
# - runtime runc: crun refuses the hybrid cgroup v1/v2 hierarchy of these machines;
# - default ulimits below the machine's own (nofile 1024, nproc 1000): podman's defaults ask for more than a
#   process here may have, and every container start fails;
# - cgroupfs and a file events log: there is no systemd or journald to talk to;
# - the socket at /run/podman/podman.sock speaks the Docker API (1.41), for the Docker and Compose clients and
#   for Testcontainers.
# Needs root (it installs packages and writes /etc/containers).
set -euo pipefail

SOCKET_PATH=${CONVEYOR_PODMAN_SOCKET:-/run/podman/podman.sock}
DOCKER_HOST_VALUE="unix://$SOCKET_PATH"
CONF=/etc/containers/containers.conf.d/50-conveyor.conf
LOG=/var/log/conveyor-podman-service.log

say() { echo "containers.sh: $*" >&2; }

socket_answers() {
  curl -fsS --max-time 5 --unix-socket "$SOCKET_PATH" http://d/_ping >/dev/null 2>&1
}

install_packages() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  [ -x /usr/sbin/runc ] || missing+=(runc)
  command -v curl >/dev/null || missing+=(curl)
  # docker-compose (v1, Python) is the Compose client Debian 12 packages; it speaks the Docker API to the socket.
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  # netavark needs iptables; uidmap and slirp4netns are podman's companions for user namespaces.
  command -v iptables >/dev/null || missing+=(iptables)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

configure() {
  mkdir -p "$(dirname "$CONF")"
  local wanted
  wanted=$(cat <<'EOF'
# Written by Conveyor's scripts/containers.sh (see there for why).
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1000:1000"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
)
  if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$wanted" ]; then
    say "writing $CONF"
    printf '%s\n' "$wanted" >"$CONF"
  fi
}

start_socket() {
  if socket_answers; then
    return
  fi
  say "starting podman's API socket at $SOCKET_PATH"
  mkdir -p "$(dirname "$SOCKET_PATH")"
  rm -f "$SOCKET_PATH"
  # --time=0: never exit when idle. setsid: the service outlives this script and the shell that ran it.
  setsid nohup podman system service --time=0 "unix://$SOCKET_PATH" >>"$LOG" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    socket_answers && return
    sleep 0.5
  done
  say "podman's API socket did not answer within 30 s; see $LOG"
  exit 1
}

case "${1:-up}" in
  up)
    install_packages
    configure
    start_socket
    say "ready: podman $(podman --version | awk '{print $3}'), Docker API at $DOCKER_HOST_VALUE"
    echo "DOCKER_HOST=$DOCKER_HOST_VALUE"
    ;;
  env)
    echo "export DOCKER_HOST=$DOCKER_HOST_VALUE"
    ;;
  stop)
    pkill -f "podman system service --time=0 unix://$SOCKET_PATH" || true
    rm -f "$SOCKET_PATH"
    ;;
  *)
    echo "usage: $0 [up|env|stop]" >&2
    exit 2
    ;;
esac
