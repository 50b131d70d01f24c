package io.conveyor.gateway;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Requests that name a query (db_query, a query report) are checked against the deployment's queries before they
 * are accepted: an unknown name is refused listing the known ones, parameters must be the query's and of its types.
 */
@QuarkusTest
class QueryRequestTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @AfterAll
    static void onlyTheValidRequestsWerePublished() {
        String queue = Topology.taskQueue("db_query");
        assertEquals(1, services.broker().messageCount(queue), "the one valid db_query");
        services.broker().purge(queue);
        assertEquals(1, services.broker().messageCount(Topology.taskQueue("generate_report")));
        services.broker().purge(Topology.taskQueue("generate_report"));
    }

    @Test
    void listsTheQueriesWithTheirParameterTypesButNotTheirSql() {
        given().when()
                .get("/api/v1/queries")
                .then()
                .statusCode(200)
                .body("name", contains("all_orders", "orders_since"))
                .body("[1].description", equalTo("Orders placed since a day"))
                .body("[1].parameters", equalTo(Map.of("min_total", "numeric", "since", "date")))
                .body("[0].parameters", equalTo(Map.of()))
                .body(not(containsString("SELECT")));
    }

    @Test
    void anUnknownQueryIs400ListingTheKnownOnes() {
        post("{\"type\":\"db_query\",\"payload\":{\"query\":\"drop_everything\"}}")
                .body("errors.field", contains("payload.query"))
                .body(
                        "errors[0].message",
                        equalTo("unknown query 'drop_everything'; known queries: all_orders, orders_since"));
    }

    @Test
    void parametersMustBeTheQuerysOfTheirTypes() {
        post("{\"type\":\"db_query\",\"payload\":{\"query\":\"orders_since\",\"params\":{\"since\":\"yesterday\","
                        + "\"limit\":5}}}")
                .body(
                        "errors.field",
                        contains("payload.params.limit", "payload.params.min_total", "payload.params.since"))
                .body(
                        "errors.message",
                        hasItems(
                                "is not a parameter of query 'orders_since'; it takes [min_total, since]",
                                "is required: a number",
                                "must be a date (YYYY-MM-DD)"));
    }

    @Test
    void sqlInAParameterIsOnlyAValue() {
        // A parameter is bound by JDBC, never spliced: this text is merely a wrong date here.
        post("{\"type\":\"db_query\",\"payload\":{\"query\":\"orders_since\",\"params\":{\"since\":\"1; DROP TABLE x\","
                        + "\"min_total\":1}}}")
                .body("errors.field", contains("payload.params.since"));
    }

    @Test
    void aValidQueryTaskIsAccepted() {
        String id = given().contentType(ContentType.JSON)
                .body(
                        "{\"type\":\"db_query\",\"payload\":{\"query\":\"orders_since\",\"params\":{\"since\":\"2026-01-01\","
                                + "\"min_total\":\"9.50\"},\"format\":\"jsonl\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202)
                .body("id", notNullValue())
                .extract()
                .path("id");
        services.track(id);
    }

    @Test
    void aReportNamesEitherAWindowOrAQueryAndItsQueryIsChecked() {
        post("{\"type\":\"generate_report\",\"payload\":{\"window\":\"PT1H\",\"query\":\"all_orders\"}}")
                .body(
                        "errors.message",
                        hasItem("give either window (task statistics) or query (a query's rows), not both"));
        post("{\"type\":\"generate_report\",\"payload\":{\"format\":\"html\"}}")
                .body(
                        "errors.message",
                        hasItem("give either window (task statistics) or query (a query's rows), not both"));
        post("{\"type\":\"generate_report\",\"payload\":{\"query\":\"nope\",\"format\":\"html\"}}")
                .body("errors.field", contains("payload.query"));
        post("{\"type\":\"generate_report\",\"payload\":{\"window\":\"PT1H\",\"format\":\"pdf\"}}")
                .body("errors.message", hasItem("must be csv, json or html"));
        String id = given().contentType(ContentType.JSON)
                .body("{\"type\":\"generate_report\",\"payload\":{\"query\":\"all_orders\",\"format\":\"html\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        services.track(id);
    }

    private static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
