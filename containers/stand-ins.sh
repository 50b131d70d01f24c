#!/usr/bin/env bash
# Builds the local stand-in images for machines that reach no image registry (Debian's package mirror and Maven
# Central only), and writes the variables that make docker-compose.yml and the Testcontainers tests use them:
#
#   containers/stand-ins.sh [ENV_FILE]      default ENV_FILE: target/stand-ins.env
#
#   RABBITMQ_IMAGE   RabbitMQ + management plugin     (Debian's rabbitmq-server)   for rabbitmq:4.x-management
#   REDIS_IMAGE      Redis                            (Debian's redis-server)      for redis:7.x
#   POSTGRES_IMAGE   PostgreSQL                       (Debian's postgresql)        for postgres:17.x
#   MAILPIT_IMAGE    an SMTP catcher with an HTTP API (GreenMail, Maven Central)   for axllent/mailpit
#   BUILD_IMAGE      the JDK our Dockerfile builds in (this machine's Temurin 25)  for maven:3.9-eclipse-temurin-25
#   RUNTIME_IMAGE    the JRE our images run on        (this machine's Temurin 25)  for eclipse-temurin:25-jre
#
# Each image is tagged with a hash of its recipe (the files in containers/<name>/, and its parent's tag), so a
# second run on the same machine builds nothing, and a changed recipe builds that image and those on top of it.
# The base of them all is a minimal Debian made by debootstrap (containers/debian/recipe.env). Older tags of the
# same image are removed. Needs podman (scripts/containers.sh installs it) and root, for debootstrap.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

ENV_FILE=${1:-target/stand-ins.env}
REPO=localhost/conveyor-stand-in

say() { echo "stand-ins: $*" >&2; }

recipe_hash() { # DIR [EXTRA...]: a short hash of the files in DIR and of the extra words (a parent's tag)
  local dir=$1
  shift
  { (cd "$dir" && find . -type f -print0 | sort -z | xargs -0 sha256sum); printf '%s\n' "$@"; } \
    | sha256sum | cut -c1-12
}

drop_older() { # NAME TAG: remove the other tags of $REPO/NAME
  local keep=$2
  podman images --format '{{.Repository}}:{{.Tag}}' --filter "reference=$REPO/$1" \
    | { grep -vxF "$keep" || true; } | xargs -r podman rmi -f >/dev/null 2>&1 || true
}

# The machine's own trust anchors (/usr/local/share/ca-certificates: here, the CA of a TLS-inspecting proxy between
# this machine and Maven Central) go into the base, so that curl and Java in the images trust what the host trusts;
# the ca-certificates package, wherever an image installs it, adds them to the system and Java trust stores.
LOCAL_CAS=/usr/local/share/ca-certificates

local_cas_hash() {
  find "$LOCAL_CAS" -name '*.crt' -type f -print0 2>/dev/null | sort -z | xargs -0 -r cat | sha256sum | cut -c1-12
}

build_base() {
  local tag
  tag="$REPO/debian:$(recipe_hash containers/debian "cas=$(local_cas_hash)")"
  if ! podman image exists "$tag"; then
    command -v debootstrap >/dev/null || {
      say "installing debootstrap"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    }
    # shellcheck source=debian/recipe.env
    . containers/debian/recipe.env
    local root
    root=$(mktemp -d /var/tmp/conveyor-rootfs.XXXXXX)
    say "building $tag: debootstrap --variant=$VARIANT $SUITE from $MIRROR (about a minute)"
    debootstrap --variant="$VARIANT" "$SUITE" "$root" "$MIRROR" >"$root.log" 2>&1 \
      || { tail -n 20 "$root.log" >&2; rm -rf "$root" "$root.log"; exit 1; }
    install -m 0755 containers/debian/policy-rc.d "$root/usr/sbin/policy-rc.d"
    if [ -d "$LOCAL_CAS" ]; then
      mkdir -p "$root$LOCAL_CAS"
      find "$LOCAL_CAS" -name '*.crt' -type f -exec cp {} "$root$LOCAL_CAS/" \;
    fi
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*.log
    tar -C "$root" -c . | podman import --change 'CMD ["bash"]' - "$tag" >/dev/null
    rm -rf "$root" "$root.log"
  fi
  drop_older debian "$tag"
  echo "$tag"
}

build_image() { # NAME ARG=PARENT [CONTEXT_DIR]: build containers/NAME on top of PARENT (build argument ARG)
  local name=$1 arg=${2%%=*} parent=${2#*=} context=${3:-containers/$1} tag
  tag="$REPO/$name:$(recipe_hash "containers/$name" "$parent" ${CONTEXT_ID:+"$CONTEXT_ID"})"
  if ! podman image exists "$tag"; then
    say "building $tag"
    podman build -q --build-arg "$arg=$parent" -f "containers/$name/Containerfile" -t "$tag" "$context" >/dev/null
  fi
  drop_older "$name" "$tag"
  echo "$tag"
}

# Debian 12 packages no Java 25: the JRE stand-in takes this machine's JDK 25 (scripts/lib/jdk.sh finds it), copied
# into a build context of its own with its links resolved (its cacerts links to the system's Java trust store).
jre_image() { # PARENT
  local jdk context tag
  jdk=$(. scripts/lib/jdk.sh && use_jdk25 2>/dev/null && echo "$JAVA_HOME") \
    || { say "no JDK 25 on this machine (scripts/lib/jdk.sh)"; exit 1; }
  # The JDK's identity (its release file) is part of the tag: another JDK build makes another image.
  CONTEXT_ID="jdk=$(sha256sum "$jdk/release" | cut -c1-12)"
  tag="$REPO/jre:$(recipe_hash containers/jre "$1" "$CONTEXT_ID")"
  if ! podman image exists "$tag"; then
    context=$(mktemp -d /var/tmp/conveyor-jre.XXXXXX)
    mkdir "$context/temurin"
    tar -C "$jdk" -ch . | tar -C "$context/temurin" -x
    build_image jre "BASE=$1" "$context" >/dev/null
    rm -rf "$context"
  fi
  drop_older jre "$tag"
  CONTEXT_ID=
  echo "$tag"
}

started=$SECONDS
base=$(build_base)
rabbitmq=$(build_image rabbitmq "BASE=$base")
redis=$(build_image redis "BASE=$base")
postgres=$(build_image postgres "BASE=$base")
jre=$(jre_image "$base")
jdk=$(build_image jdk "JRE=$jre")
mailpit=$(build_image greenmail "JRE=$jre")

mkdir -p "$(dirname "$ENV_FILE")"
cat >"$ENV_FILE" <<EOF
# Written by containers/stand-ins.sh: the local stand-in images for docker-compose.yml and the container tests.
RABBITMQ_IMAGE=$rabbitmq
REDIS_IMAGE=$redis
POSTGRES_IMAGE=$postgres
MAILPIT_IMAGE=$mailpit
BUILD_IMAGE=$jdk
RUNTIME_IMAGE=$jre
EOF
say "ready in $((SECONDS - started)) s; variables in $ENV_FILE"
grep -v '^#' "$ENV_FILE"
