#!/bin/sh
# As the official image's entrypoint: `redis-server` without a password listens for everyone (protected mode
# would refuse every client that is not on the container's loopback).
set -eu
if [ "${1:-}" = redis-server ]; then
  shift
  case " $* " in
    *" --requirepass "*) exec redis-server --bind '* -::*' "$@" ;;
    *) exec redis-server --bind '* -::*' --protected-mode no "$@" ;;
  esac
fi
exec "$@"
