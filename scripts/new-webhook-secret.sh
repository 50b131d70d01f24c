#!/usr/bin/env bash
# Prints a fresh webhook secret as the line to add to the webhook secrets file (CONVEYOR_WEBHOOK_SECRETS_FILE):
#   scripts/new-webhook-secret.sh CLIENT >> webhook-secrets      e.g. scripts/new-webhook-secret.sh billing
# CLIENT is the API client whose tasks' webhooks the secret signs (its name in the keys file), or local for tasks
# submitted without a key. The secret is 32 random bytes, base64 after "whsec_" (Standard Webhooks). Give it to the
# client's receiver to verify signatures; the gateway and the workers read the same file. Nothing else is written.
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 CLIENT" >&2; exit 2; }
client=$1
[[ $client =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]] || {
  echo "bad CLIENT '$client': letters, digits, . _ - (at most 64)" >&2
  exit 2
}
echo "$client whsec_$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
