#!/usr/bin/env bash
# Runs the tests of the gateway and the worker (and of the modules they build on) with their RabbitMQ and Redis in
# containers that the tests start themselves through Testcontainers (test-support's TestServices), whatever runs on
# this machine's default ports. CI runs it after the whole suite against the local services, so this path stays
# working.
#
#   scripts/test-in-containers.sh [ENV_FILE] [MAVEN_ARGS...]    default ENV_FILE: target/stand-ins.env
#
# ENV_FILE names the images (RABBITMQ_IMAGE, REDIS_IMAGE; containers/stand-ins.sh writes one with local stand-ins);
# without it the tests use the images the environment names, or the public rabbitmq:4.1.4-management and redis:7.4.6.
# The tests never pull: the images must be on the machine. The Docker API is DOCKER_HOST, else Docker's socket, else
# podman's (scripts/containers.sh starts it). Ryuk, Testcontainers' reaper, is off unless TESTCONTAINERS_RYUK_DISABLED
# says otherwise: its image comes from a registry, and the tests remove their containers themselves when they end.
# A container of the tests left behind fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
use_jdk25

env_file=target/stand-ins.env
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  env_file=$1
  shift
fi
say() { echo "test-in-containers: $*" >&2; }

if [ -f "$env_file" ]; then
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
  say "images from $env_file"
else
  say "no $env_file: images from the environment or the public defaults (containers/stand-ins.sh builds local ones)"
fi
if [ -z "${DOCKER_HOST:-}" ] && [ ! -S /var/run/docker.sock ]; then
  eval "$(scripts/containers.sh env)"
fi
export TESTCONTAINERS_RYUK_DISABLED=${TESTCONTAINERS_RYUK_DISABLED:-true}
say "RABBITMQ_IMAGE=${RABBITMQ_IMAGE:-default} REDIS_IMAGE=${REDIS_IMAGE:-default} DOCKER_HOST=${DOCKER_HOST:-default}"

# The tests label their containers; any that are there after the run and were not before are this run's leftovers.
label=io.conveyor.test-services
engine=$(command -v docker || command -v podman || true)
leftovers() { [ -z "$engine" ] || "$engine" ps -aq --filter "label=$label" | sort; }
before=$(leftovers)

status=0
./mvnw -B verify -pl api-gateway,task-worker -am -Dconveyor.test.services=containers "$@" || status=$?

left=$(comm -13 <(echo "$before") <(leftovers) | sed '/^$/d')
if [ -n "$left" ]; then
  say "the tests left containers behind (removing them): $(echo "$left" | tr '\n' ' ')"
  echo "$left" | xargs -r "$engine" rm -f >/dev/null
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
