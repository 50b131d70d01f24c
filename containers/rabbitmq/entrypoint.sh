#!/bin/sh
# RABBITMQ_DEFAULT_USER/RABBITMQ_DEFAULT_PASS, as the official image reads them: the user created on the node's
# first start (an existing data directory keeps its users). Written to conf.d, which the node reads at start.
set -eu
conf=/etc/rabbitmq/conf.d/05-default-user.conf
: >"$conf"
if [ -n "${RABBITMQ_DEFAULT_USER:-}" ]; then
  printf 'default_user = %s\n' "$RABBITMQ_DEFAULT_USER" >>"$conf"
fi
if [ -n "${RABBITMQ_DEFAULT_PASS:-}" ]; then
  printf 'default_pass = %s\n' "$RABBITMQ_DEFAULT_PASS" >>"$conf"
fi
chmod 600 "$conf"
exec "$@"
