package io.conveyor.gateway.security;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.gateway.security.ApiKeysTest.as;
import static io.restassured.RestAssured.given;

/** CONVEYOR_METRICS_ACCESS=reader and CONVEYOR_OPENAPI_ACCESS=reader close them to keys without the reader role. */
@QuarkusTest
@TestProfile(ClosedMetricsTest.Closed.class)
class ClosedMetricsTest {

    /** The keys of ApiKeysTest, with metrics and OpenAPI closed. */
    public static class Closed extends ApiKeysTest.WithKeysFile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("quarkus.http.auth.permission.metrics.policy", "reader");
            config.put("quarkus.http.auth.permission.openapi.policy", "reader");
            return config;
        }
    }

    @Test
    void metricsAndOpenApiNeedAReaderKey() {
        given().get("/q/metrics").then().statusCode(401);
        given().get("/q/openapi").then().statusCode(401);
        as(ApiKeysTest.ALICE).get("/q/metrics").then().statusCode(403);
        as(ApiKeysTest.READER).get("/q/metrics").then().statusCode(200);
        as(ApiKeysTest.OPERATOR).get("/q/openapi").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
