# One Dockerfile for both Quarkus apps, parameterised by MODULE (api-gateway or task-worker) and PORT.
# Why shared: the two images are built the same way from the same Maven reactor (parent POM, common-model,
# test-support), so one file keeps them from drifting apart, and the dependency layer below is identical for
# both, so BuildKit builds it once. The build context is the repository root:
#
#   docker build --build-arg MODULE=api-gateway --build-arg PORT=8080 -t conveyor/api-gateway .
#   docker build --build-arg MODULE=task-worker --build-arg PORT=8081 -t conveyor/task-worker .
#
# docker-compose.yml passes these arguments; `docker compose up --build` builds both images.

# ---- stage 0: the Maven wrapper and every module's pom.xml, nothing else ----
# Copied generically so that a module added to the parent POM needs no change here.
FROM maven:3.9-eclipse-temurin-17 AS poms
WORKDIR /src
COPY . .
RUN find . -type f ! -name pom.xml ! -name mvnw ! -path './.mvn/*' -delete \
 && find . -mindepth 1 -type d -empty -delete

# ---- stage 1: build the module's Quarkus fast-jar with the Maven wrapper ----
FROM maven:3.9-eclipse-temurin-17 AS build
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
RUN ./mvnw -B -q -ntp -DskipTests package -pl "$MODULE" -am

# ---- stage 2: the runtime, a JRE and the fast-jar layout only ----
FROM eclipse-temurin:17-jre
ARG MODULE
ARG PORT=8080

# /artifacts belongs to the app user so that a fresh named volume mounted there (CONVEYOR_ARTIFACT_DIR)
# takes that ownership and is writable without root.
RUN groupadd --system --gid 10001 conveyor \
 && useradd --system --uid 10001 --gid conveyor --home-dir /deployments --shell /usr/sbin/nologin conveyor \
 && mkdir -p /deployments /artifacts \
 && chown conveyor:conveyor /artifacts

WORKDIR /deployments
# Layers from the least to the most often changed; the application files stay root-owned, read-only to the app.
COPY --from=build /src/${MODULE}/target/quarkus-app/lib/ lib/
COPY --from=build /src/${MODULE}/target/quarkus-app/quarkus-run.jar quarkus-run.jar
COPY --from=build /src/${MODULE}/target/quarkus-app/app/ app/
COPY --from=build /src/${MODULE}/target/quarkus-app/quarkus/ quarkus/

ENV JAVA_OPTS="-XX:+UseSerialGC -XX:MaxRAMPercentage=75 -Xss512k -XX:MaxMetaspaceSize=128m -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager"
ENV CONVEYOR_LOG_JSON=true
EXPOSE ${PORT}
USER 10001:10001
# exec: java runs as PID 1 and receives SIGTERM itself, so a worker drains its in-flight tasks on `docker stop`.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar \"$@\"", "--"]
