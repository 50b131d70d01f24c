#!/usr/bin/env bash
# Builds the two apps (api-gateway and task-worker, Quarkus aot-jar layout in <module>/target/quarkus-app) and
# trains their AOT caches (app.aot beside quarkus-run.jar) on a realistic workload against the local RabbitMQ and
# Redis: system-tests' AotTrainingTest, one of the long scenarios .ci/run runs after `./mvnw verify`. Takes a few
# minutes.
#
#   scripts/package.sh [--no-cache]      --no-cache: build only (no services needed; the apps start without a cache)
#
# A cache is used only by the JDK build that made it and with the JVM options it was trained with
# (scripts/jvm-options): run the apps with that JDK, from their quarkus-app directory, with
# -XX:AOTCache=app.aot (scripts/run-local.sh and bench/run.sh do).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
use_jdk25

if [ "${1:-}" = --no-cache ]; then
  ./mvnw -q -B -DskipTests package
  rm -f api-gateway/target/quarkus-app/app.aot task-worker/target/quarkus-app/app.aot
  exit 0
fi
[ $# -eq 0 ] || { echo "usage: $0 [--no-cache]" >&2; exit 2; }
# Every module's tests are filtered out but the training's (a "long" system test: -Plong-tests lets it run);
# spotless and the enforcer still run.
./mvnw -q -B verify -Plong-tests -Dtest=AotTrainingTest -Dsurefire.failIfNoSpecifiedTests=false
ls -l api-gateway/target/quarkus-app/app.aot task-worker/target/quarkus-app/app.aot
