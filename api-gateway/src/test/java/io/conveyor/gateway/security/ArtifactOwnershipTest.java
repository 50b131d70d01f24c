package io.conveyor.gateway.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.gateway.ArtifactFiles;
import io.conveyor.gateway.Submissions;
import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.gateway.security.ApiKeysTest.ALICE;
import static io.conveyor.gateway.security.ApiKeysTest.BOB;
import static io.conveyor.gateway.security.ApiKeysTest.OPERATOR;
import static io.conveyor.gateway.security.ApiKeysTest.READER;
import static io.conveyor.gateway.security.ApiKeysTest.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * With API keys, an artifact is downloaded by whoever may read its task: its producer, a reader, an operator; another
 * producer gets the 404 of an unknown task. The keys are ApiKeysTest's (same profile, so no second start).
 */
@QuarkusTest
@TestProfile(ApiKeysTest.WithKeysFile.class)
class ArtifactOwnershipTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    GatewayConfig config;

    private ArtifactFiles files;

    @BeforeEach
    void setUp() {
        services.broker().purgeAll();
        files = new ArtifactFiles(Path.of(config.artifacts().dir()), services);
    }

    @AfterEach
    void cleanUp() {
        files.deleteAll();
    }

    @Test
    void onlyWhoMayReadTheTaskDownloadsItsArtifact() {
        String id = services.track(Submissions.accepted(as(ALICE), "{\"type\":\"noop\"}"));
        files.write(id + ".csv", "a,b\n".getBytes(StandardCharsets.UTF_8), Instant.now());
        files.succeed(id, Map.of("artifact", id + ".csv", "rows", 0));
        String url = "/api/v1/tasks/" + id + "/artifact";
        for (String key : new String[] {ALICE, READER, OPERATOR}) {
            as(key).get(url).then().statusCode(200).body(equalTo("a,b\n"));
        }
        String unknown = as(BOB).get("/api/v1/tasks/" + id)
                .then()
                .statusCode(404)
                .extract()
                .asString();
        as(BOB).get(url)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body(equalTo(unknown));
        as(BOB).head(url).then().statusCode(404);
        given().get(url).then().statusCode(401);
        given().head(url).then().statusCode(401);
    }
}
