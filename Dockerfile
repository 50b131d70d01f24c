# One Dockerfile for both Quarkus apps, parameterised by MODULE (api-gateway or task-worker) and PORT.
# Why shared: the two images are built the same way from the same Maven reactor (parent POM, common-model,
# conveyor-client, test-support), so one file keeps them from drifting apart, and the dependency layer below is
# identical for both, so BuildKit builds it once. The build context is the repository root:
#
#   docker build --build-arg MODULE=api-gateway --build-arg PORT=8080 -t conveyor/api-gateway .
#   docker build --build-arg MODULE=task-worker --build-arg PORT=8081 -t conveyor/task-worker .
#
# docker-compose.yml passes these arguments; `docker compose up --build` builds both images. Base images are
# pinned to a release (ComposeFileTest checks it): a rebuild months later gets the same JDK. BUILD_IMAGE (a JDK with
# which ./mvnw can run) and RUNTIME_IMAGE (a JRE with bash, groupadd and useradd) replace them where those images
# cannot be pulled; containers/stand-ins.sh builds such images from Debian's packages (CONTRIBUTING, "Containers
# without Docker"). docker-compose.yml repeats these defaults, and ComposeFileTest keeps the two equal.
ARG BUILD_IMAGE=maven:3.9.11-eclipse-temurin-25
ARG RUNTIME_IMAGE=eclipse-temurin:25.0.3_9-jre-noble

# ---- stage 0: the Maven wrapper and every module's pom.xml, nothing else ----
# Copied generically so that a module added to the parent POM needs no change here.
FROM ${BUILD_IMAGE} AS poms
WORKDIR /src
COPY . .
RUN find . -type f ! -name pom.xml ! -name mvnw ! -path './.mvn/*' -delete \
 && find . -mindepth 1 -type d -empty -delete

# ---- stage 1: build the module's Quarkus fast-jar with the Maven wrapper ----
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# POMs first: BuildKit keys this COPY on content, so the dependency layer is rebuilt only when a POM changes.
COPY --from=poms /src/ ./
# dependency:go-offline fetches the plugins and every scope's dependencies; quarkus:go-offline adds the Quarkus
# build-time (deployment) artifacts. -Dmode=test covers the production build and test compilation (skipTests
# still compiles tests) but not dev mode, whose io.quarkus.qute:qute-debug:3.33.2 is not published.
RUN chmod +x mvnw \
 && ./mvnw -B -q -ntp dependency:go-offline quarkus:go-offline -Dmode=test

# Declared only now: an ARG changes the cache key of every RUN after it, and the layer above is shared.
ARG MODULE
RUN test -n "$MODULE" || { echo "build with --build-arg MODULE=api-gateway or task-worker" >&2; exit 1; }
COPY . .
# maven.test.skip: the tests are neither compiled nor run here (CI runs them against real services). No AOT cache
# here either: a cache is used only by the JDK build that made it, and the runtime stage below makes its own.
RUN ./mvnw -B -q -ntp -Dmaven.test.skip=true package -pl "$MODULE" -am

# ---- stage 2: the runtime, a JRE and the fast-jar layout only ----
FROM ${RUNTIME_IMAGE}
ARG MODULE
# The port the app listens on (ENV PORT, read by quarkus.http.port) and that the image exposes; compose's health
# checks ask ${PORT} too.
ARG PORT

# /artifacts (CONVEYOR_ARTIFACT_DIR) and /var/lib/conveyor (the gateway's operator key file,
# CONVEYOR_ADMIN_TOKEN_FILE) belong to the app user, so that a fresh named volume mounted there takes that
# ownership and is writable without root; /var/lib/conveyor is private to it.
RUN test -n "$PORT" || { echo "build with --build-arg PORT=8080 (api-gateway) or 8081 (task-worker)" >&2; exit 1; } \
 && groupadd --system --gid 10001 conveyor \
 && useradd --system --uid 10001 --gid conveyor --home-dir /deployments --shell /usr/sbin/nologin conveyor \
 && mkdir -p /deployments /artifacts /var/lib/conveyor \
 && chown conveyor:conveyor /artifacts /var/lib/conveyor \
 && chmod 700 /var/lib/conveyor

WORKDIR /deployments
# Layers from the least to the most often changed; the application files stay root-owned, read-only to the app.
COPY --from=build /src/${MODULE}/target/quarkus-app/lib/ lib/
COPY --from=build /src/${MODULE}/target/quarkus-app/quarkus-run.jar quarkus-run.jar
COPY --from=build /src/${MODULE}/target/quarkus-app/app/ app/
COPY --from=build /src/${MODULE}/target/quarkus-app/quarkus/ quarkus/

# The heap is half the container's memory limit (compose sets one per service): the other half holds metaspace
# (at most 128 MB), the code cache, thread stacks, and direct and native buffers (Netty, ImageIO, zlib). Without
# a limit the JVM would size itself to half the host.
ENV JAVA_OPTS="-XX:+UseSerialGC -XX:MaxRAMPercentage=50 -Xss512k -XX:MaxMetaspaceSize=128m -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager"
ENV CONVEYOR_LOG_JSON=true
ENV PORT=${PORT}

# The AOT cache (JEP 483), made here by the JVM that runs the app: a cache is used only by the JDK build that made
# it, with the JVM options it was made with. An image build has no broker or Redis, so this training is the app's
# start (it retries the broker meanwhile), stopped with SIGTERM once Quarkus reports it started; the JVM writes the
# cache as it exits. The cache the Maven build trains on real traffic (scripts/package.sh) goes further, but belongs
# to the build machine's JDK. At run time a cache this JVM cannot use is skipped with a warning.
RUN (java $JAVA_OPTS -XX:AOTCacheOutput=app.aot -Dquarkus.http.port=0 -jar quarkus-run.jar >/tmp/aot.log 2>&1 &\
      pid=$!; \
      for _ in $(seq 1 600); do grep -q "started in" /tmp/aot.log && break; kill -0 $pid 2>/dev/null || break; \
        sleep 0.5; done; \
      kill -TERM $pid; wait $pid; \
      test -s app.aot) \
 || { cat /tmp/aot.log; echo "no AOT cache was written" >&2; exit 1; } \
 && rm -f /tmp/aot.log app.aot.config

USER 10001:10001
# exec: java runs as PID 1 and receives SIGTERM itself, so a worker drains its in-flight tasks on `docker stop`.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -XX:AOTCache=app.aot -jar quarkus-run.jar \"$@\"", "--"]
