package io.conveyor.gateway;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * With only CONVEYOR_ADMIN_TOKEN set, the operator endpoints need it and everything else stays in protected mode:
 * local callers submit and read without a key.
 */
@QuarkusTest
@TestProfile(AdminTokenTest.WithToken.class)
class AdminTokenTest {

    /** Sets the admin token. */
    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.admin-token", "s3cret-token");
        }
    }

    @Test
    void withoutTheTokenOperatorEndpointsAre401() {
        given().when()
                .delete("/api/v1/dead-letters/any")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("detail", containsString("CONVEYOR_ADMIN_TOKEN"));
        given().when().post("/api/v1/dead-letters/replay").then().statusCode(401);
    }

    @Test
    void aWrongTokenIs401() {
        given().header("Authorization", "Bearer s3cret-tokeN")
                .when()
                .delete("/api/v1/tasks/any")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("detail", equalTo("The API key is not valid"));
        given().header("Authorization", "Basic s3cret-token")
                .when()
                .get("/api/v1/dead-letters")
                .then()
                .statusCode(401)
                .body("detail", containsString("Bearer"));
    }

    @Test
    void theRightTokenPassesWithAnySchemeCase() {
        given().header("Authorization", "Bearer s3cret-token")
                .when()
                .delete("/api/v1/tasks/00000000-0000-0000-0000-000000000001")
                .then()
                .statusCode(404);
        given().header("Authorization", "bearer s3cret-token")
                .when()
                .post("/api/v1/dead-letters/00000000-0000-0000-0000-000000000001/replay")
                .then()
                .statusCode(404);
    }

    @Test
    void localReadsAndDeadLetterListingNeedNoToken() {
        given().when()
                .get("/api/v1/tasks/00000000-0000-0000-0000-000000000001")
                .then()
                .statusCode(404);
        given().when().get("/api/v1/task-types").then().statusCode(200);
        given().when().get("/api/v1/dead-letters").then().statusCode(200);
    }
}
