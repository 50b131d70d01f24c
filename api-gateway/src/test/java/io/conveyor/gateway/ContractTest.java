package io.conveyor.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.conveyor.model.Json;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskType;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document is a contract a client can be typed from, checked three ways against the running gateway:
 * TypeScript types generated from it by openapi-typescript must type-check a small client ({@code
 * src/test/contract/client.ts}, which also holds requests that must not compile) with {@code tsc}; Redocly's linter
 * must find no error; and real answers of the gateway must validate against the document's schemas. The npm tools are
 * pinned by {@code package-lock.json} and installed once per lock into {@code ~/.cache/conveyor-contract}.
 */
@QuarkusTest
class ContractTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    private static final Path SOURCES = Path.of("src/test/contract");
    private static final Path WORK = Path.of("target/contract");
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(6);

    private static JsonNode document;

    /** The document, fetched once the gateway runs (a static @BeforeAll runs before it starts). */
    @BeforeEach
    void fetchTheDocument() throws IOException {
        if (document != null) {
            return;
        }
        String json = given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        document = Json.mapper().readTree(json);
        Files.createDirectories(WORK);
        Files.writeString(WORK.resolve("openapi.json"), json);
    }

    @BeforeEach
    void clean() {
        services.broker().purgeAll();
    }

    @Test
    void aClientTypedFromTheDocumentTypeChecksAndWrongRequestsDoNot() throws Exception {
        Path tools = tools();
        for (String file : List.of("client.ts", "tsconfig.json")) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        run(WORK, bin(tools, "openapi-typescript"), "openapi.json", "-o", "schema.d.ts");
        String types = Files.readString(WORK.resolve("schema.d.ts"));
        assertTrue(types.contains("SendEmailPayload: {"), "the payload records are typed");
        assertTrue(
                Pattern.compile("TaskRequest: components\\[\"schemas\"]\\[\"\\w+Task\"] \\|")
                        .matcher(types)
                        .find(),
                "requests are a union");

        // Every correct use compiles, and every line marked @ts-expect-error really is an error.
        run(WORK, bin(tools, "tsc"), "-p", ".");
    }

    @Test
    void redoclyFindsNoErrorInTheDocument() throws Exception {
        String out = run(WORK, bin(tools(), "redocly"), "lint", "openapi.json", "--format=stylish");
        assertTrue(out.contains("Your API description is valid"), out);
    }

    @Test
    void eachTaskTypeHasItsRequestAndResultSchemasJoinedByADiscriminator() {
        JsonNode schemas = document.at("/components/schemas");
        JsonNode request = schemas.get("TaskRequest");
        assertEquals("type", request.at("/discriminator/propertyName").asText());
        for (TaskType type : TaskCatalogue.load().all()) {
            String variant = request.at("/discriminator/mapping/" + type.name()).asText();
            JsonNode schema = schemas.get(variant.substring(variant.lastIndexOf('/') + 1));
            assertEquals(type.name(), schema.at("/properties/type/const").asText(), variant);
            assertEquals(
                    "#/components/schemas/" + type.payloadClass().getSimpleName(),
                    schema.at("/properties/payload/$ref").asText());
            String view = schemas.get("TaskView")
                    .at("/discriminator/mapping/" + type.name())
                    .asText();
            JsonNode result =
                    schemas.get(view.substring(view.lastIndexOf('/') + 1)).at("/allOf/1/properties/result");
            assertEquals(
                    "#/components/schemas/" + type.resultClass().getSimpleName(),
                    result.at("/oneOf/0/$ref").asText());
        }
        JsonNode source = schemas.at("/ResizeImagePayload/properties/source");
        assertEquals(1, source.get("minLength").asInt());
        assertTrue(source.get("pattern").asText().startsWith("^"), "patterns are anchored");
        assertEquals(
                "duration",
                schemas.at("/SleepPayload/properties/duration/format").asText());
        assertEquals(
                8192, schemas.at("/ResizeImagePayload/properties/width/maximum").asInt());
        assertEquals(
                "^(?:stretch|contain|cover)$",
                schemas.at("/ResizeImagePayload/properties/fit/pattern").asText());
        assertEquals(
                100,
                schemas.at("/ResizeImagePayload/properties/quality/maximum").asInt());
    }

    @Test
    void queryParametersCarryTheirBoundsAndChoices() {
        JsonNode parameters = document.at("/paths/~1api~1v1~1tasks/get/parameters");
        Map<String, JsonNode> byName = new HashMap<>();
        parameters.forEach(p -> byName.put(p.get("name").asText(), p.get("schema")));
        assertEquals(1, byName.get("limit").get("minimum").asInt());
        assertEquals(100, byName.get("limit").get("maximum").asInt());
        assertTrue(byName.get("status").get("enum").toString().contains("RETRY_SCHEDULED"));
        assertTrue(byName.get("type").get("enum").toString().contains("send_email"));
    }

    @Test
    void theCatalogueEndpointServesTheDocumentsSchemas() {
        JsonNode schemas = document.at("/components/schemas");
        List<Map<String, Object>> types = given().get("/api/v1/task-types")
                .then()
                .statusCode(200)
                .extract()
                .path("");
        assertEquals(TaskCatalogue.load().all().size(), types.size());
        for (TaskType type : TaskCatalogue.load().all()) {
            Map<String, Object> entry = types.stream()
                    .filter(t -> type.name().equals(t.get("name")))
                    .findFirst()
                    .orElseThrow();
            assertEquals(
                    schemas.get(type.payloadClass().getSimpleName()),
                    Json.mapper().valueToTree(entry.get("payloadSchema")),
                    type.name());
            assertEquals(
                    schemas.get(type.resultClass().getSimpleName()),
                    Json.mapper().valueToTree(entry.get("resultSchema")),
                    type.name());
        }
    }

    @Test
    void realAnswersValidateAgainstTheDocument() {
        Response accepted = given().contentType(ContentType.JSON)
                .body(
                        "{\"type\":\"send_email\",\"payload\":{\"to\":\"ada@example.com\",\"subject\":\"s\",\"body\":\"b\"}}")
                .post("/api/v1/tasks");
        assertValid("TaskAccepted", accepted);
        String id = services.track(accepted.<String>path("id"));
        assertValid("TaskView", given().get("/api/v1/tasks/" + id));
        services.redis()
                .transition(id, Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(1));
        services.redis().progress(id, 1, 2, -1, "sent 2");
        Response reporting = given().get("/api/v1/tasks/" + id);
        assertEquals(2, reporting.<Integer>path("progress.done"));
        assertValid("TaskView", reporting);
        services.redis().progress(id, 1, 3, 5, null);
        assertValid("TaskView", given().get("/api/v1/tasks/" + id));
        services.redis().succeed(id, Map.of("messageId", "<" + id + "@conveyor>"));
        Response succeeded = given().get("/api/v1/tasks/" + id);
        assertEquals("SUCCEEDED", succeeded.path("status"));
        assertValid("TaskView", succeeded);
        assertValid("TaskPage", given().queryParam("limit", 5).get("/api/v1/tasks"));
        assertValid("Problem", given().get("/api/v1/tasks/no-such-task"));
        assertValid(
                "Problem",
                given().contentType(ContentType.JSON)
                        .body("{\"type\":\"send_email\",\"payload\":{}}")
                        .post("/api/v1/tasks"));
        Response seed = given().contentType(ContentType.JSON)
                .body("{\"task_type\":\"send_email\",\"task_param\":\"user@example.com\"}")
                .post("/async-task");
        assertEquals(202, seed.statusCode(), seed.asString());
        services.track((String) seed.path("id"));
        assertValid("SeedAccepted", seed);
        Response batch = given().contentType(ContentType.JSON)
                .body("{\"tasks\":[{\"type\":\"noop\"},{\"type\":\"noop\"}]}")
                .post("/api/v1/batches");
        assertEquals(202, batch.statusCode(), batch.asString());
        services.track(batch.<List<String>>path("taskIds"));
        services.trackBatch(batch.<String>path("id"));
        assertValid("BatchAccepted", batch);
        assertValid("BatchView", given().get("/api/v1/batches/" + batch.<String>path("id")));
        Response types = given().get("/api/v1/task-types");
        for (JsonNode type : body(types)) {
            assertValid("TaskTypeView", type);
        }
        assertValid("QueuesView", given().get("/api/v1/queues"));
        assertValid("Problem", given().post("/api/v1/queues/no_such_type/pause"));
    }

    /** The schedules' answers are typed; their task is a task request of the catalogue, as on submitTask. */
    @Test
    void schedulesValidateAgainstTheDocument() {
        String name = "test-contract-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            Response created = given().contentType(ContentType.JSON)
                    .body("{\"name\":\"" + name + "\",\"cron\":\"*/5 * * * *\",\"zone\":\"Europe/Paris\","
                            + "\"missed\":\"once\",\"task\":{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT1S\"}}}")
                    .post("/api/v1/schedules");
            assertEquals(201, created.statusCode(), created.asString());
            assertValid("ScheduleView", created);
            for (JsonNode schedule : body(given().get("/api/v1/schedules"))) {
                assertValid("ScheduleView", schedule);
            }
            assertValid("ScheduleView", given().post("/api/v1/schedules/" + name + "/pause"));
            assertValid(
                    "Problem",
                    given().contentType(ContentType.JSON)
                            .body("{\"name\":\"" + name + "\",\"cron\":\"@hourly\",\"task\":{\"type\":\"noop\"}}")
                            .post("/api/v1/schedules"));
            assertEquals(
                    "ScheduleRequest",
                    document.at("/paths/~1api~1v1~1schedules/post/requestBody/content/"
                                    + "application~1json/schema/$ref")
                            .asText()
                            .replace("#/components/schemas/", ""));
            assertEquals(
                    "#/components/schemas/TaskRequest",
                    document.at("/components/schemas/ScheduleRequest/properties/task/$ref")
                            .asText());
        } finally {
            given().delete("/api/v1/schedules/" + name);
        }
    }

    /** A task view whose result does not have its type's shape is refused by the document. */
    @Test
    void aResultOfTheWrongShapeDoesNotValidate() {
        ObjectNode view = (ObjectNode) Json.mapper()
                .valueToTree(Map.of(
                        "id", "x",
                        "type", "send_email",
                        "status", "SUCCEEDED",
                        "attempts", 1,
                        "maxAttempts", 5,
                        "createdAt", "2026-01-01T00:00:00Z",
                        "updatedAt", "2026-01-01T00:00:01Z"));
        view.putNull("lastError")
                .putNull("nextAttemptAt")
                .putNull("client")
                .putNull("artifactUrl")
                .putNull("batch")
                .putNull("progress")
                .putNull("schedule")
                .putNull("callback")
                .putNull("waiting");
        view.set("result", Json.mapper().valueToTree(Map.of("messageId", "<x@conveyor>")));
        assertTrue(errors("TaskView", view).isEmpty(), errors("TaskView", view).toString());
        view.set("result", Json.mapper().valueToTree(Map.of("width", 3)));
        assertTrue(!errors("TaskView", view).isEmpty(), "a resize result on an email task must not validate");
    }

    private static void assertValid(String schema, Response response) {
        assertTrue(
                response.contentType().startsWith("application/json")
                        || response.contentType().startsWith("application/problem+json"),
                response.contentType());
        assertValid(schema, body(response));
    }

    private static void assertValid(String schema, JsonNode json) {
        List<String> errors = errors(schema, json);
        assertTrue(errors.isEmpty(), schema + ": " + errors + " in " + json);
    }

    private static List<String> errors(String schema, JsonNode json) {
        // The whole document is the schema resource, so its references resolve; the root $ref picks the component.
        ObjectNode root = document.deepCopy();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$ref", "#/components/schemas/" + schema);
        Schema validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(root);
        List<String> out = new ArrayList<>();
        validator.validate(json).forEach(error -> out.add(error.toString()));
        return out;
    }

    private static JsonNode body(Response response) {
        try {
            return Json.mapper().readTree(response.asString());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.asString(), e);
        }
    }

    /** The npm tools of package-lock.json, installed once per lock. */
    private static synchronized Path tools() throws Exception {
        byte[] lock = Files.readAllBytes(SOURCES.resolve("package-lock.json"));
        String hash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(lock))
                .substring(0, 16);
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "conveyor-contract", hash);
        if (!Files.isExecutable(dir.resolve("node_modules/.bin/redocly"))) {
            requireNode();
            Files.createDirectories(dir);
            Files.copy(
                    SOURCES.resolve("package.json"), dir.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
            Files.write(dir.resolve("package-lock.json"), lock);
            run(dir, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
        }
        return dir;
    }

    private static void requireNode() throws Exception {
        String version = run(Path.of("."), "node", "--version").trim();
        String[] parts = version.substring(1).split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        assertTrue(
                major > 20 || (major == 20 && minor >= 19),
                "ContractTest needs Node.js 20.19 or newer with npm (.ci/run installs them); found " + version);
    }

    private static String bin(Path tools, String name) {
        return tools.resolve("node_modules/.bin").resolve(name).toAbsolutePath().toString();
    }

    private static String run(Path dir, String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "Cannot run " + command[0] + ": ContractTest needs Node.js 20.19 or newer and "
                            + "npm on the PATH (.ci/run installs them)",
                    e);
        }
        String out;
        try (InputStream in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(process.waitFor(NPM_TIMEOUT.toSeconds(), TimeUnit.SECONDS), String.join(" ", command) + " hung");
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }
}
