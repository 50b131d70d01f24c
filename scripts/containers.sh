#!/usr/bin/env bash
# A container engine for machines without Docker: installs and configures podman (Debian's package) and starts its
# Docker-compatible API socket. Idempotent: run it as often as you like; what is already in place is left alone.
#
#   scripts/containers.sh            install/configure podman, start the socket, print DOCKER_HOST=...
#   scripts/containers.sh env        print only `export DOCKER_HOST=...` (for eval)
#   scripts/containers.sh stop       stop the API socket and the health-check loop (containers and images stay)
#
# Users who have Docker need none of this. Why each setting (see CONTRIBUTING, "Containers without Docker"):
# - runtime runc: crun refuses the hybrid cgroup v1/v2 hierarchy of these machines;
# - default ulimits no higher than the machine's own hard limits: podman's defaults (nofile 1048576) ask for more
#   than a process here may have, and every container start fails; too low (1024) and javac runs out of file
#   handles in an image build. We take the machine's hard limit, at most 65536 files and 32768 processes;
# - cgroupfs and a file events log: there is no systemd or journald to talk to;
# - health checks: podman runs a container's health check from a systemd timer, and there is no systemd here, so a
#   container would stay "starting" for ever (and compose's `condition: service_healthy` would wait for ever). A
#   small loop started beside the socket runs every running container's check every 5 s (`podman healthcheck run`,
#   which counts retries and the start period as the timer would);
# - the socket at /run/podman/podman.sock speaks the Docker API (1.41), for the Docker and Compose clients and
#   for Testcontainers.
# Needs root (it installs packages and writes /etc/containers).
set -euo pipefail

SELF=$(readlink -f "$0")
SOCKET_PATH=${CONVEYOR_PODMAN_SOCKET:-/run/podman/podman.sock}
DOCKER_HOST_VALUE="unix://$SOCKET_PATH"
CONF=/etc/containers/containers.conf.d/50-conveyor.conf
LOG=/var/log/conveyor-podman-service.log
HEALTH_PID=/run/podman/conveyor-healthchecks.pid
HEALTH_EVERY=5

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

limit() { # CURRENT CAP: the smaller of the two ("unlimited" counts as infinite)
  if [ "$1" = unlimited ] || [ "$1" -gt "$2" ]; then echo "$2"; else echo "$1"; fi
}

configure() {
  mkdir -p "$(dirname "$CONF")"
  local wanted nofile nproc
  nofile=$(limit "$(ulimit -Hn)" 65536)
  nproc=$(limit "$(ulimit -Hu)" 32768)
  wanted=$(cat <<EOF
# Written by Conveyor's scripts/containers.sh (see there for why).
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
)
  if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$wanted" ]; then
    say "writing $CONF"
    printf '%s\n' "$wanted" >"$CONF"
    CHANGED=1
  fi
}

start_socket() {
  if socket_answers; then
    return
  fi
  say "starting podman's API socket at $SOCKET_PATH"
  mkdir -p "$(dirname "$SOCKET_PATH")"
  rm -f "$SOCKET_PATH"
  # --time=0: never exit when idle. setsid: the service outlives this script and the shell that ran it. From /: the
  # service's working directory becomes conmon's, and a checkout removed later (a git worktree) would fail every
  # container start after it ("Failed to get working directory", "write child: broken pipe").
  (cd / && exec setsid nohup podman system service --time=0 "unix://$SOCKET_PATH" >>"$LOG" 2>&1 </dev/null) &
  for _ in $(seq 1 60); do
    socket_answers && return
    sleep 0.5
  done
  say "podman's API socket did not answer within 30 s; see $LOG"
  exit 1
}

health_loop() {
  while true; do
    # Containers with a health check show "(starting)", "(healthy)" or "(unhealthy)" in their status.
    podman ps --format '{{.ID}} {{.Status}}' 2>/dev/null | awk '/\((starting|healthy|unhealthy)\)/ {print $1}' \
      | while read -r id; do
          timeout 60 podman healthcheck run "$id" >/dev/null 2>&1 &
        done
    sleep "$HEALTH_EVERY"
  done
}

start_health_loop() {
  if [ -f "$HEALTH_PID" ] && kill -0 "$(cat "$HEALTH_PID")" 2>/dev/null; then
    return
  fi
  # Only where there is no systemd to run the checks (PID 1 is not systemd).
  if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; then
    return
  fi
  say "starting the health-check loop (no systemd to run podman's health checks)"
  mkdir -p "$(dirname "$HEALTH_PID")"
  # From / and by absolute path, like the service: the checkout that started it may be removed meanwhile.
  (cd / && exec setsid nohup "$SELF" health-loop >>"$LOG" 2>&1 </dev/null) &
  echo $! >"$HEALTH_PID"
}

stop_socket() {
  if [ -f "$HEALTH_PID" ]; then
    kill -- "-$(cat "$HEALTH_PID")" 2>/dev/null || kill "$(cat "$HEALTH_PID")" 2>/dev/null || true
    rm -f "$HEALTH_PID"
  fi
  pkill -f "podman system service --time=0 unix://$SOCKET_PATH" || true
  rm -f "$SOCKET_PATH"
}

CHANGED=0
case "${1:-up}" in
  up)
    install_packages
    configure
    if [ "$CHANGED" = 1 ] && socket_answers; then
      say "restarting the API socket for the new settings"
      stop_socket
    fi
    start_socket
    start_health_loop
    say "ready: podman $(podman --version | awk '{print $3}'), Docker API at $DOCKER_HOST_VALUE"
    echo "DOCKER_HOST=$DOCKER_HOST_VALUE"
    ;;
  env)
    echo "export DOCKER_HOST=$DOCKER_HOST_VALUE"
    ;;
  stop)
    stop_socket
    ;;
  health-loop)
    health_loop
    ;;
  *)
    echo "usage: $0 [up|env|stop]" >&2
    exit 2
    ;;
esac
