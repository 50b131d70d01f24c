package io.conveyor.gateway.security;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.ops.OpsKeys;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.gateway.security.ApiKeysTest.ALICE;
import static io.conveyor.gateway.security.ApiKeysTest.OPERATOR;
import static io.conveyor.gateway.security.ApiKeysTest.READER;
import static io.conveyor.gateway.security.ApiKeysTest.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A reader sees the queues and workers but cannot pause; an operator can; a producer sees neither; no key is 401. */
@QuarkusTest
@TestProfile(ApiKeysTest.WithKeysFile.class)
class OperationsRolesTest {

    private static final String TYPE = "throwaway_greeting";

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @AfterEach
    void resume() {
        services.redis().call("SREM", OpsKeys.PAUSED, TYPE);
    }

    @Test
    void readersReadOperatorsPause() {
        as(READER).get("/api/v1/queues").then().statusCode(200);
        as(READER).get("/api/v1/workers").then().statusCode(200);
        as(READER)
                .post("/api/v1/queues/" + TYPE + "/pause")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        assertEquals(0L, services.redis().call("SISMEMBER", OpsKeys.PAUSED, TYPE));
        as(ALICE).get("/api/v1/queues").then().statusCode(403);
        as(ALICE).post("/api/v1/queues/" + TYPE + "/resume").then().statusCode(403);
        given().get("/api/v1/queues").then().statusCode(401);

        as(OPERATOR).post("/api/v1/queues/" + TYPE + "/pause").then().statusCode(204);
        assertEquals(1L, services.redis().call("SISMEMBER", OpsKeys.PAUSED, TYPE));
        as(OPERATOR).post("/api/v1/queues/" + TYPE + "/resume").then().statusCode(204);
        assertEquals(0L, services.redis().call("SISMEMBER", OpsKeys.PAUSED, TYPE));
    }
}
