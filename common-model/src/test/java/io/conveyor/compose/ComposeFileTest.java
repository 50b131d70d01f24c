package io.conveyor.compose;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.conveyor.compose.ComposeFile.MissingVariableException;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml, read as Compose v2 reads it (interpolated from .env.example plus the passwords it leaves
 * empty), matches the Compose Specification's JSON schema and our rules: ports on 127.0.0.1 only, pinned images, no
 * guest account, each image built once, a memory limit everywhere, the seed request served from the host, Mailpit only
 * for mail senders, image decodes that fit the heap, one artifacts volume that the gateway reads, the queries and
 * their read-only database for the workers that run them. Every rule is also shown to fail on a file that breaks it.
 */
class ComposeFileTest {

    private static final Map<String, String> PASSWORDS = Map.of(
            "RABBITMQ_DEFAULT_PASS", "rabbit-test-secret",
            "REDIS_PASSWORD", "redis-test-secret",
            "POSTGRES_PASSWORD", "postgres-test-secret",
            "CONVEYOR_DB_PASSWORD", "reader-test-secret");

    private static Schema schema;
    private static Map<String, Object> raw;
    private static String dockerfile;

    @BeforeAll
    static void load() {
        // Loaded from the classpath by location: the schema's relative $id (compose_spec.json) resolves against it.
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of("classpath:compose-spec/compose-spec.json"));
        raw = ComposeFile.parse(ComposeFile.read("docker-compose.yml"));
        dockerfile = ComposeFile.read("Dockerfile");
    }

    @Test
    void matchesTheComposeSpecificationSchema() {
        assertEquals(List.of(), schemaErrors(compose()));
    }

    @Test
    void theSchemaRefusesAnUnknownKeyAndAWrongType() {
        List<String> unknownKey = schemaErrors(compose(c -> service(c, "redis").put("memory", "1g")));
        assertTrue(unknownKey.toString().contains("'memory'"), unknownKey.toString());
        List<String> wrongType = schemaErrors(compose(c -> service(c, "redis").put("ports", 6379)));
        assertTrue(wrongType.toString().contains("/services/redis/ports"), wrongType.toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "RABBITMQ_DEFAULT_USER",
                "RABBITMQ_DEFAULT_PASS",
                "REDIS_PASSWORD",
                "POSTGRES_PASSWORD",
                "CONVEYOR_DB_PASSWORD"
            })
    void refusesToStartWithoutTheSettingsOfEnv(String missing) {
        Map<String, String> env = env();
        env.put(missing, "");
        MissingVariableException e =
                assertThrows(MissingVariableException.class, () -> ComposeFile.interpolate(raw, env));
        assertEquals(missing, e.variable);
    }

    @Test
    void envExampleDocumentsEveryVariableAndHoldsNoSecret() {
        String example = ComposeFile.read(".env.example");
        assertEquals(
                List.of(),
                ComposeFile.variables(raw).stream()
                        .filter(v -> !ComposeFile.documented(example).contains(v))
                        .toList());
        Map<String, String> values = ComposeFile.envFile(example);
        for (String secret : List.of(
                "RABBITMQ_DEFAULT_PASS",
                "REDIS_PASSWORD",
                "POSTGRES_PASSWORD",
                "CONVEYOR_DB_PASSWORD",
                "CONVEYOR_ADMIN_TOKEN")) {
            assertEquals("", values.get(secret), secret + " must be left empty in .env.example");
        }
        assertTrue(ComposeFile.read(".gitignore").lines().anyMatch(".env"::equals), ".env must be git-ignored");
    }

    @Test
    void theImageListensOnItsPortArgumentAndMakesItsAotCacheWithItsOwnJvm() {
        assertTrue(dockerfile.contains("ENV PORT=${PORT}"), "ARG PORT must set the port the app listens on");
        Object check = ((Map<?, ?>) service(compose(), "api-gateway").get("healthcheck")).get("test");
        assertTrue(String.valueOf(check).contains("/dev/tcp/127.0.0.1/${PORT}"), "health check: " + check);
        // A cache is used only by the JDK build that made it: the runtime stage (after the last FROM) trains it.
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertTrue(runtime.contains("-XX:AOTCacheOutput=app.aot"), "the runtime stage must make the AOT cache");
        assertTrue(runtime.contains("-XX:AOTCache=app.aot"), "the entry point must use the AOT cache");
        assertFalse(
                dockerfile.substring(0, dockerfile.lastIndexOf("\nFROM ")).contains("AOTCache"),
                "the build stage's JDK is not the runtime's: make no cache there");
    }

    @Test
    void publishesPortsOnLoopbackOnly() {
        assertEquals(List.of(), ComposeRules.portsOnLoopbackOnly(compose()));
        assertBreaks(ComposeRules::portsOnLoopbackOnly, c -> service(c, "redis").put("ports", List.of("6379:6379")));
        assertBreaks(
                ComposeRules::portsOnLoopbackOnly,
                c -> service(c, "mailpit").put("ports", List.of(Map.of("target", 8025, "published", "8025"))));
    }

    @Test
    void pinsEveryImageToARelease() {
        assertEquals(List.of(), ComposeRules.imagesPinned(compose(), dockerfile));
        for (String floating : List.of("axllent/mailpit", "redis:7", "rabbitmq:4-management", "redis:latest")) {
            assertBreaks(
                    c -> ComposeRules.imagesPinned(c, dockerfile),
                    c -> service(c, "redis").put("image", floating));
        }
        for (String floating : List.of("postgres:17", "postgres:latest", "postgres")) {
            assertBreaks(
                    c -> ComposeRules.imagesPinned(c, dockerfile),
                    c -> service(c, "postgres").put("image", floating));
        }
        assertEquals("postgres:17.6", service(compose(), "postgres").get("image"));
        assertFalse(ComposeRules.imagesPinned(compose(), dockerfile.replace("25.0.3_9-jre-noble", "25-jre"))
                .isEmpty());
    }

    @Test
    void buildsOnTheDockerfilesBaseImagesUnlessToldOtherwise() {
        assertEquals(List.of(), ComposeRules.buildBasesAreTheDockerfiles(compose(), dockerfile));
        assertFalse(ComposeRules.buildBasesAreTheDockerfiles(
                        compose(), dockerfile.replace("25.0.3_9-jre-noble", "25.0.4_7-jre-noble"))
                .isEmpty());
        Map<String, String> standIns = env();
        standIns.put("BUILD_IMAGE", "localhost/stand-in/jdk:1");
        standIns.put("RUNTIME_IMAGE", "localhost/stand-in/jre:1");
        Map<String, Object> interpolated = ComposeFile.interpolate(raw, standIns);
        Map<?, ?> args =
                (Map<?, ?>) ((Map<?, ?>) service(interpolated, "task-worker").get("build")).get("args");
        assertEquals("localhost/stand-in/jdk:1", args.get("BUILD_IMAGE"));
        assertEquals("localhost/stand-in/jre:1", args.get("RUNTIME_IMAGE"));
    }

    @Test
    void takesTheServicesImagesFromVariables() {
        Map<String, String> standIns = env();
        standIns.put("RABBITMQ_IMAGE", "localhost/stand-in/rabbitmq:1");
        standIns.put("REDIS_IMAGE", "localhost/stand-in/redis:1");
        standIns.put("MAILPIT_IMAGE", "localhost/stand-in/greenmail:1");
        standIns.put("POSTGRES_IMAGE", "localhost/stand-in/postgres:1");
        Map<String, Object> interpolated = ComposeFile.interpolate(raw, standIns);
        assertEquals(
                "localhost/stand-in/rabbitmq:1",
                service(interpolated, "rabbitmq").get("image"));
        assertEquals(
                "localhost/stand-in/redis:1", service(interpolated, "redis").get("image"));
        assertEquals(
                "localhost/stand-in/greenmail:1",
                service(interpolated, "mailpit").get("image"));
        assertEquals(
                "localhost/stand-in/postgres:1",
                service(interpolated, "postgres").get("image"));
        assertEquals("rabbitmq:4.1.4-management", service(compose(), "rabbitmq").get("image"));
    }

    @Test
    void buildsEachImageOnceAndNeverPullsIt() {
        assertEquals(List.of(), ComposeRules.eachImageBuiltOnce(compose()));
        assertBreaks(
                ComposeRules::eachImageBuiltOnce,
                c -> service(c, "worker-email")
                        .put("build", service(c, "task-worker").get("build")));
        assertBreaks(
                ComposeRules::eachImageBuiltOnce,
                c -> service(c, "worker-images").remove("pull_policy"));
    }

    @Test
    void limitsEveryServicesMemory() {
        assertEquals(List.of(), ComposeRules.memoryLimited(compose()));
        assertBreaks(ComposeRules::memoryLimited, c -> service(c, "mailpit").remove("mem_limit"));
        assertEquals(1536, ComposeRules.memoryLimitMib(service(compose(), "worker-images")));
        assertEquals(1024, ComposeRules.memoryLimitMib(Map.of("mem_limit", "1g")));
    }

    @Test
    void hasNoGuestAccount() {
        assertEquals(List.of(), ComposeRules.noGuest(compose()));
        assertBreaks(ComposeRules::noGuest, c -> environment(c, "worker-email").remove("RABBITMQ_PASSWORD"));
        assertBreaks(ComposeRules::noGuest, c -> environment(c, "rabbitmq").remove("RABBITMQ_DEFAULT_USER"));
        assertBreaks(ComposeRules::noGuest, c -> environment(c, "api-gateway").put("REDIS_URL", "redis://redis:6379"));
        assertBreaks(ComposeRules::noGuest, c -> environment(c, "mailpit").put("MP_UI_AUTH", "guest"));
    }

    @Test
    void servesTheSeedRequestFromTheHostWithoutAKey() {
        assertEquals(List.of(), ComposeRules.seedRequestServedFromTheHost(compose()));
        assertBreaks(
                ComposeRules::seedRequestServedFromTheHost,
                c -> environment(c, "api-gateway").put("CONVEYOR_LOCAL_NETWORKS", "127.0.0.0/8,::1/128"));
        assertBreaks(
                ComposeRules::seedRequestServedFromTheHost,
                c -> environment(c, "api-gateway").put("CONVEYOR_API_KEYS_FILE", "/run/secrets/keys"));
        assertBreaks(ComposeRules::seedRequestServedFromTheHost, c -> c.remove("networks"));
    }

    @Test
    void workersWriteAndTheGatewayReadsOneArtifactsVolume() {
        assertEquals(List.of(), ComposeRules.artifactsShared(compose()));
        assertEquals(
                List.of(
                        new ComposeRules.Mount("gateway-data", "/var/lib/conveyor", false),
                        new ComposeRules.Mount("artifacts", "/artifacts", true),
                        new ComposeRules.Mount("./examples/queries", "/etc/conveyor/queries", true)),
                ComposeRules.mounts(service(compose(), "api-gateway")));
        assertBreaks(
                ComposeRules::artifactsShared,
                c -> environment(c, "api-gateway").remove("CONVEYOR_ARTIFACT_DIR"));
        assertBreaks(
                ComposeRules::artifactsShared,
                c -> service(c, "api-gateway")
                        .put("volumes", List.of("gateway-data:/var/lib/conveyor", "artifacts:/artifacts")));
        assertBreaks(
                ComposeRules::artifactsShared,
                c -> service(c, "task-worker")
                        .put(
                                "volumes",
                                List.of(Map.of(
                                        "type",
                                        "volume",
                                        "source",
                                        "artifacts",
                                        "target",
                                        "/artifacts",
                                        "read_only",
                                        true))));
        assertBreaks(
                ComposeRules::artifactsShared,
                c -> environment(c, "worker-images").put("CONVEYOR_ARTIFACT_DIR", "/tmp/artifacts"));
        assertBreaks(
                ComposeRules::artifactsShared, c -> service(c, "worker-email").remove("volumes"));
    }

    @Test
    void onlyWorkersThatSendMailDependOnMailpit() {
        assertEquals(List.of(), ComposeRules.mailpitOnlyForMail(compose()));
        assertBreaks(
                ComposeRules::mailpitOnlyForMail,
                c -> service(c, "worker-images")
                        .put("depends_on", service(c, "worker-email").get("depends_on")));
        assertBreaks(
                ComposeRules::mailpitOnlyForMail,
                c -> environment(c, "worker-email").remove("SMTP_HOST"));
        assertBreaks(
                ComposeRules::mailpitOnlyForMail,
                c -> environment(c, "worker-images").remove("CONVEYOR_WORKER_TYPES"));
    }

    @Test
    void imageWorkersHoldTheirConcurrencysDecodesInTheHeap() {
        assertEquals(List.of(), ComposeRules.imageDecodesFitTheHeap(compose(), dockerfile));
        assertBreaks(
                c -> ComposeRules.imageDecodesFitTheHeap(c, dockerfile),
                c -> environment(c, "worker-images").put("CONVEYOR_WORKER_CONCURRENCY", "3"));
        assertBreaks(
                c -> ComposeRules.imageDecodesFitTheHeap(c, dockerfile),
                c -> environment(c, "task-worker").put("CONVEYOR_WORKER_TYPES", "all"));
        assertFalse(ComposeRules.imageDecodesFitTheHeap(
                        compose(), dockerfile.replace("MaxRAMPercentage=50", "MaxRAMPercentage=40"))
                .isEmpty());
    }

    @Test
    void workersThatRunQueriesReadTheGatewaysQueriesAndTheDatabaseAsTheReader() {
        assertEquals(List.of(), ComposeRules.queriesAndDatabase(compose()));
        Map<String, String> worker = ComposeRules.environment(service(compose(), "task-worker"));
        assertEquals("jdbc:postgresql://postgres:5432/shop", worker.get("CONVEYOR_DB_URL"));
        assertEquals("conveyor_reader", worker.get("CONVEYOR_DB_USERNAME"));
        assertEquals("reader-test-secret", worker.get("CONVEYOR_DB_PASSWORD"));
        assertEquals(
                "reader-test-secret",
                ComposeRules.environment(service(compose(), "postgres")).get("CONVEYOR_DB_PASSWORD"));
        assertTrue(
                ComposeRules.mounts(service(compose(), "postgres"))
                        .contains(new ComposeRules.Mount(
                                "./examples/sample-db.sql", "/docker-entrypoint-initdb.d/10-sample-db.sql", true)),
                "the sample database is loaded on the first start");

        assertBreaks(
                ComposeRules::queriesAndDatabase,
                c -> environment(c, "api-gateway").remove("CONVEYOR_QUERIES_DIR"));
        assertBreaks(
                ComposeRules::queriesAndDatabase,
                c -> service(c, "task-worker").put("volumes", List.of("artifacts:/artifacts")));
        assertBreaks(
                ComposeRules::queriesAndDatabase,
                c -> service(c, "task-worker")
                        .put("volumes", List.of("artifacts:/artifacts", "./queries:/etc/conveyor/queries:ro")));
        assertBreaks(
                ComposeRules::queriesAndDatabase,
                c -> service(c, "task-worker")
                        .put("volumes", List.of("artifacts:/artifacts", "./examples/queries:/etc/conveyor/queries")));
        assertBreaks(
                ComposeRules::queriesAndDatabase,
                c -> environment(c, "task-worker").remove("CONVEYOR_DB_URL"));
        assertBreaks(
                ComposeRules::queriesAndDatabase,
                c -> environment(c, "task-worker").put("CONVEYOR_DB_USERNAME", "postgres"));
        assertBreaks(
                ComposeRules::queriesAndDatabase,
                c -> environment(c, "task-worker").put("CONVEYOR_DB_PASSWORD", "postgres-test-secret"));
        assertBreaks(
                ComposeRules::queriesAndDatabase,
                c -> service(c, "task-worker")
                        .put("depends_on", service(c, "worker-email").get("depends_on")));
        assertBreaks(
                ComposeRules::queriesAndDatabase,
                c -> environment(c, "worker-images").put("CONVEYOR_WORKER_TYPES", "resize_image,db_query"));
        assertBreaks(
                ComposeRules::queriesAndDatabase,
                c -> service(c, "worker-email")
                        .put("depends_on", service(c, "task-worker").get("depends_on")));
    }

    @Test
    void everyTaskTypeHasAConsumer() {
        List<String> types = TaskCatalogue.load().all().stream()
                .filter(t -> t.payloadClass().getPackageName().equals("io.conveyor.model.payload"))
                .map(TaskType::name)
                .toList();
        assertTrue(types.containsAll(List.of("resize_image", "db_query")), "the catalogue: " + types);
        assertEquals(List.of(), ComposeRules.everyTypeConsumed(compose(), types));
        assertBreaks(
                c -> ComposeRules.everyTypeConsumed(c, types),
                c -> environment(c, "task-worker").put("CONVEYOR_WORKER_TYPES", "send_email"));
    }

    /** The file fails {@code rule} once {@code breakIt} has changed it. */
    private static void assertBreaks(
            Function<Map<String, Object>, List<String>> rule, Consumer<Map<String, Object>> breakIt) {
        assertFalse(rule.apply(compose(breakIt)).isEmpty(), "the rule let a broken file pass");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(ComposeFile.envFile(ComposeFile.read(".env.example")));
        env.putAll(PASSWORDS);
        return env;
    }

    private static Map<String, Object> compose() {
        return compose(c -> {});
    }

    /** The interpolated file, changed by {@code change}. */
    private static Map<String, Object> compose(Consumer<Map<String, Object>> change) {
        @SuppressWarnings("unchecked")
        Map<String, Object> compose = (Map<String, Object>) ComposeFile.copy(ComposeFile.interpolate(raw, env()));
        change.accept(compose);
        return compose;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(Map<String, Object> compose, String name) {
        return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> compose, String name) {
        return (Map<String, Object>) service(compose, name).computeIfAbsent("environment", k -> new HashMap<>());
    }

    private static List<String> schemaErrors(Map<String, Object> compose) {
        return schema.validate(new ObjectMapper().valueToTree(compose)).stream()
                .map(String::valueOf)
                .toList();
    }
}
