package io.conveyor.gateway;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.conveyor.model.TaskCatalogue;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** The catalogue endpoint documents each type with its payload schema and defaults. */
@QuarkusTest
class TaskTypesTest {

    @Inject
    TaskCatalogue catalogue;

    @Test
    void listsEveryCatalogueTypeWithSchemasAndDefaults() {
        given().when()
                .get("/api/v1/task-types")
                .then()
                .statusCode(200)
                .body("name", equalTo(List.copyOf(catalogue.names())))
                .body("name", hasItems("fail", "noop", "send_email", "sleep"))
                .body("find { it.name == 'send_email' }.queue", equalTo("conveyor.task.send_email"))
                .body("find { it.name == 'send_email' }.defaults.maxAttempts", equalTo(5))
                .body("find { it.name == 'send_email' }.payloadSchema.required", equalTo(List.of("to")))
                .body("find { it.name == 'send_email' }.payloadSchema.properties.to.format", equalTo("email"))
                .body("find { it.name == 'send_email' }.payloadSchema.properties.subject.maxLength", equalTo(998))
                .body("find { it.name == 'send_email' }.payloadSchema.properties.cc.items.format", equalTo("email"))
                .body("find { it.name == 'sleep' }.payloadSchema.properties.duration.format", equalTo("duration"))
                .body("find { it.name == 'fail' }.payloadSchema.properties.times.minimum", equalTo(0));
    }
}
