package io.conveyor.gateway;

import java.util.Collection;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskCatalogue;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metrics, the OpenAPI document with an example per task type, and Swagger UI. */
@QuarkusTest
class ObservabilityTest {

    @Inject
    TaskCatalogue catalogue;

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Test
    void countsAcceptedAndRejectedTasksByTypeAndReason() {
        String created = Submissions.accepted("{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT1S\"}}");
        services.track(created);
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT1H\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400);
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"teleport\"}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400);
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("conveyor_tasks_accepted_total{type=\"sleep\"}"))
                .body(containsString("conveyor_tasks_rejected_total{reason=\"validation\",type=\"sleep\"}"))
                .body(containsString("conveyor_tasks_rejected_total{reason=\"unknown-task-type\",type=\"unknown\"}"));
    }

    @Test
    void documentsEveryTaskTypeWithAnExample() {
        String document = given().queryParam("format", "json")
                .when()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Collection<String> types = catalogue.names();
        assertFalse(types.isEmpty(), "the catalogue lists no type");
        for (String type : types) {
            assertTrue(document.contains("\"" + type + "\" : {"), "no example for " + type);
        }
        given().when().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void servesTheHealthGroups() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
