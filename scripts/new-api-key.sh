#!/usr/bin/env bash
# Prints a fresh API key and the line to add to the keys file (CONVEYOR_API_KEYS_FILE).
#   scripts/new-api-key.sh NAME ROLES [RATE]     e.g. scripts/new-api-key.sh billing producer 50/s
# The key is 32 random bytes, URL-safe base64 (43 characters). Give it to the client; the keys file holds only its
# SHA-256. Nothing is written anywhere: the key exists only in this output.
set -euo pipefail

usage() {
  echo "usage: $0 NAME ROLES [RATE]   (ROLES: comma-separated producer,reader,operator; RATE e.g. 50/s)" >&2
  exit 2
}
[[ $# -ge 2 && $# -le 3 ]] || usage
name=$1 roles=$2 rate=${3:-}
[[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]] || { echo "bad NAME '$name': letters, digits, . _ - (at most 64)" >&2; exit 2; }
[[ $name != admin && $name != local ]] || { echo "the names 'admin' and 'local' are reserved" >&2; exit 2; }
IFS=, read -ra list <<<"$roles"
[[ ${#list[@]} -gt 0 ]] || usage
for role in "${list[@]}"; do
  [[ $role == producer || $role == reader || $role == operator ]] || { echo "unknown role '$role'" >&2; exit 2; }
done
[[ -z $rate || $rate =~ ^[0-9]+/[sm]$ ]] || { echo "bad RATE '$rate': e.g. 50/s or 600/m" >&2; exit 2; }

key=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
hash=$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)
line="$name $roles sha256:$hash${rate:+ rate=$rate}"

echo "API key for $name (give it to the client; it is shown only now):"
echo "  $key"
echo "Line for the keys file:"
echo "  $line"
