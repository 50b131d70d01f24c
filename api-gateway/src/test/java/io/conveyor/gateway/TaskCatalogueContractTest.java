package io.conveyor.gateway;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.conveyor.model.Json;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskType;
import io.conveyor.testsupport.TestOnlyTaskType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every task type the catalogue finds must satisfy, with no list of types to keep up to date: its OpenAPI
 * example binds to its payload record and passes validation, each payload field has a real JSON Schema type, and
 * README.md's task-type table documents it (types of test sources, {@link TestOnlyTaskType}, excepted).
 */
@QuarkusTest
class TaskCatalogueContractTest {

    /**
     * The JSON Schema types a payload field may have. An {@code object} is a nested record, whose fields are checked
     * alike, or the one deliberate free-form shape, a {@code Map<String, Object>} (an object of any properties).
     */
    private static final Set<String> FIELD_TYPES = Set.of("string", "integer", "number", "boolean", "array", "object");

    /** README.md at the repository root; tests run in the module's directory. */
    private static final Path README = Path.of("..", "README.md");

    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([a-z][a-z0-9_]*)` \\|");

    @Inject
    Validator validator;

    static Stream<Named<TaskType>> everyType() {
        return TaskCatalogue.load().all().stream().map(type -> Named.of(type.name(), type));
    }

    static Stream<Named<TaskType>> everyShippedType() {
        return everyType().filter(named -> !testOnly(named.getPayload()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void itsOpenApiExampleBindsToThePayloadRecordAndIsValid(TaskType type) throws IOException {
        Map<String, Object> example = openApi()
                .getMap("paths.'/api/v1/tasks'.post.requestBody.content.'application/json'.examples.'" + type.name()
                        + "'.value");
        assertNotNull(example, "no OpenAPI example for " + type.name());
        assertEquals(type.name(), example.get("type"));

        Record payload =
                Json.mapper().readValue(Json.mapper().writeValueAsBytes(example.get("payload")), type.payloadClass());

        Set<ConstraintViolation<Record>> violations = validator.validate(payload);
        assertTrue(violations.isEmpty(), type.name() + "'s example is invalid: " + violations);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void everyPayloadFieldHasAJsonSchemaType(TaskType type) {
        Map<String, Map<String, Object>> properties = given().when()
                .get("/api/v1/task-types")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("find { it.name == '" + type.name() + "' }.payloadSchema.properties");
        if (properties == null) {
            // A record without fields has a schema without properties.
            properties = Map.of();
        }

        assertEquals(
                Stream.of(type.payloadClass().getRecordComponents())
                        .map(RecordComponent::getName)
                        .toList(),
                List.copyOf(properties.keySet()));
        properties.forEach((field, schema) -> assertTyped(type.name() + "." + field, schema));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyShippedType")
    void readmesTaskTypeTableNamesIt(TaskType type) throws IOException {
        assertTrue(
                readmeTaskTypes().contains(type.name()),
                "README.md's task-type table has no row for `" + type.name() + "`");
    }

    @Test
    void readmesTaskTypeTableNamesOnlyCataloguedTypes() throws IOException {
        List<String> shipped =
                everyShippedType().map(named -> named.getPayload().name()).toList();
        List<String> documented = readmeTaskTypes();

        assertFalse(documented.isEmpty(), "README.md has no task-type table under ### Task types");
        assertTrue(shipped.containsAll(documented), "README.md documents " + documented + ", shipped " + shipped);
    }

    @SuppressWarnings("unchecked")
    private static void assertTyped(String field, Map<String, Object> schema) {
        Object type = schema.get("type");
        assertTrue(FIELD_TYPES.contains(type), field + " has JSON Schema type " + type);
        if ("array".equals(type)) {
            assertInstanceOf(Map.class, schema.get("items"), field + " is an array of nothing in particular");
            assertTyped(field + "[]", (Map<String, Object>) schema.get("items"));
        }
        if ("object".equals(type)) {
            Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) schema.get("properties");
            if (properties == null) {
                assertEquals(
                        Map.of("type", "object", "additionalProperties", true),
                        schema,
                        field + " is an object of anything but a free-form map");
            } else {
                assertEquals(false, schema.get("additionalProperties"), field + " allows unknown fields");
                properties.forEach((name, property) -> assertTyped(field + "." + name, property));
            }
        }
    }

    private static boolean testOnly(TaskType type) {
        return type.payloadClass().isAnnotationPresent(TestOnlyTaskType.class);
    }

    private static JsonPath openApi() {
        return given().queryParam("format", "json")
                .when()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The type names in the first column of the table under README's "### Task types" heading. */
    private static List<String> readmeTaskTypes() throws IOException {
        List<String> names = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(README)) {
            if (line.startsWith("#")) {
                inSection = line.equals("### Task types");
                continue;
            }
            Matcher row = TABLE_ROW.matcher(line);
            if (inSection && row.find()) {
                names.add(row.group(1));
            }
        }
        return names;
    }
}
