package io.conveyor.gateway;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** Task submissions that a test expects to be accepted: POST /api/v1/tasks, 202, the new task's id. */
public final class Submissions {

    private Submissions() {}

    /** Submits {@code json} without a key or extra headers; asserts 202 and answers the task's id. */
    public static String accepted(String json) {
        return accepted(given(), json);
    }

    /** Submits {@code json} with what {@code request} carries (a key, headers); asserts 202 and answers the id. */
    public static String accepted(RequestSpecification request, String json) {
        return request.contentType(ContentType.JSON)
                .body(json)
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }
}
