package io.conveyor.gateway;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.model.Digests;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.equalToIgnoringCase;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** GET /api/v1/tasks/{id}/artifact: headers, ranges, conditions and every 404, against real Redis and RabbitMQ. */
@QuarkusTest
class ArtifactDownloadTest {

    private static final Instant MODIFIED = Instant.parse("2026-11-05T08:09:10Z");
    private static final String HTTP_DATE = "Thu, 05 Nov 2026 08:09:10 GMT";

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    GatewayConfig config;

    private ArtifactFiles files;
    private final byte[] png = new byte[1000];

    @BeforeEach
    void setUp() {
        services.broker().purgeAll();
        files = new ArtifactFiles(Path.of(config.artifacts().dir()), services);
        new Random(16).nextBytes(png);
    }

    @AfterEach
    void cleanUp() {
        files.deleteAll();
    }

    /** A task that made a 1000-byte PNG, as resize_image records it: name, bytes, sha256. */
    private String resizedImage() {
        String id = submit();
        files.write(id + ".png", png, MODIFIED);
        files.succeed(
                id,
                Map.of(
                        "artifact",
                        id + ".png",
                        "width",
                        10,
                        "height",
                        10,
                        "bytes",
                        png.length,
                        "sha256",
                        Digests.sha256(png)));
        return id;
    }

    private static String url(String id) {
        return "/api/v1/tasks/" + id + "/artifact";
    }

    @Test
    void servesTheWholeFileWithEveryHeader() {
        String id = resizedImage();
        given().get("/api/v1/tasks/" + id).then().statusCode(200).body("artifactUrl", equalTo(url(id)));
        Response answer = given().get(url(id))
                .then()
                .statusCode(200)
                .contentType("image/png")
                .header("Content-Length", String.valueOf(png.length))
                .header("ETag", "\"" + Digests.sha256(png) + "\"")
                .header("Last-Modified", HTTP_DATE)
                .header("Content-Disposition", "attachment; filename=\"" + id + ".png\"")
                .header("Accept-Ranges", "bytes")
                .header("Cache-Control", "private")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'")
                .extract()
                .response();
        assertArrayEquals(png, answer.asByteArray());
    }

    @Test
    void aReportIsCsvWithAnEtagOfItsSizeAndTime() {
        String id = submit();
        byte[] csv = "type,status,count\nnoop,SUCCEEDED,3\n".getBytes(StandardCharsets.UTF_8);
        files.write(id + ".csv", csv, MODIFIED);
        files.succeed(id, Map.of("artifact", id + ".csv", "rows", 1));
        String etag = "\"" + Long.toHexString(csv.length) + "-" + Long.toHexString(MODIFIED.toEpochMilli()) + "\"";
        Response answer = given().get(url(id))
                .then()
                .statusCode(200)
                .header("Content-Type", equalToIgnoringCase("text/csv; charset=utf-8"))
                .header("Content-Length", String.valueOf(csv.length))
                .header("ETag", etag)
                .header("Content-Disposition", "attachment; filename=\"" + id + ".csv\"")
                .extract()
                .response();
        assertEquals(new String(csv, StandardCharsets.UTF_8), answer.asString());
        given().header("If-None-Match", etag).get(url(id)).then().statusCode(304);
    }

    @Test
    void servesEachFormOfASingleRange() {
        String id = resizedImage();
        assertRange(id, "bytes=10-19", 10, 19);
        assertRange(id, "bytes=990-", 990, 999);
        assertRange(id, "bytes=-5", 995, 999);
        assertRange(id, "bytes=900-5000", 900, 999);
    }

    private void assertRange(String id, String range, int first, int last) {
        Response answer = given().header("Range", range)
                .get(url(id))
                .then()
                .statusCode(206)
                .contentType("image/png")
                .header("Content-Range", "bytes " + first + "-" + last + "/" + png.length)
                .header("Content-Length", String.valueOf(last - first + 1))
                .header("ETag", "\"" + Digests.sha256(png) + "\"")
                .header("Accept-Ranges", "bytes")
                .extract()
                .response();
        assertArrayEquals(Arrays.copyOfRange(png, first, last + 1), answer.asByteArray(), range);
    }

    @Test
    void severalRangesOrAStaleIfRangeGetTheWholeFile() {
        String id = resizedImage();
        for (Map<String, String> headers : List.of(
                Map.of("Range", "bytes=0-1,5-6"), Map.of("Range", "bytes=0-1", "If-Range", "\"some-older-version\""))) {
            byte[] body = given().headers(headers)
                    .get(url(id))
                    .then()
                    .statusCode(200)
                    .header("Content-Length", String.valueOf(png.length))
                    .extract()
                    .asByteArray();
            assertArrayEquals(png, body, headers.toString());
        }
        given().header("Range", "bytes=0-1")
                .header("If-Range", "\"" + Digests.sha256(png) + "\"")
                .get(url(id))
                .then()
                .statusCode(206);
    }

    @Test
    void aRangePastTheEndIs416() {
        String id = resizedImage();
        for (String range : new String[] {"bytes=1000-", "bytes=5000-6000", "bytes=-0"}) {
            given().header("Range", range)
                    .get(url(id))
                    .then()
                    .statusCode(416)
                    .contentType("application/problem+json")
                    .header("Content-Range", "bytes */" + png.length)
                    .body("type", equalTo("urn:conveyor:problem:range-not-satisfiable"))
                    .body("status", equalTo(416));
        }
    }

    @Test
    void aMatchingIfNoneMatchIs304() {
        String id = resizedImage();
        String etag = "\"" + Digests.sha256(png) + "\"";
        Response answer = given().header("If-None-Match", "\"stale\", " + etag)
                .get(url(id))
                .then()
                .statusCode(304)
                .header("ETag", etag)
                .header("Last-Modified", HTTP_DATE)
                .extract()
                .response();
        assertEquals(0, answer.asByteArray().length);
        given().header("If-None-Match", "\"stale\"").get(url(id)).then().statusCode(200);
    }

    @Test
    void headAnswersTheHeadersWithoutTheFile() {
        String id = resizedImage();
        Response whole = given().head(url(id))
                .then()
                .statusCode(200)
                .contentType("image/png")
                .header("Content-Length", String.valueOf(png.length))
                .header("ETag", "\"" + Digests.sha256(png) + "\"")
                .header("Accept-Ranges", "bytes")
                .extract()
                .response();
        assertEquals(0, whole.asByteArray().length);
        given().header("Range", "bytes=0-99")
                .head(url(id))
                .then()
                .statusCode(206)
                .header("Content-Range", "bytes 0-99/1000")
                .header("Content-Length", "100");
        given().head(url(UUID.randomUUID().toString())).then().statusCode(404);
    }

    @Test
    void beforeTheResultThereIsNoArtifact() {
        String id = submit();
        // Null, as every other empty field of the view (result, client).
        given().get("/api/v1/tasks/" + id)
                .then()
                .statusCode(200)
                .body("$", hasKey("artifactUrl"))
                .body("artifactUrl", nullValue())
                .body("result", nullValue());
        given().get(url(id))
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:conveyor:problem:artifact-not-found"))
                .body("detail", containsString("QUEUED"));
    }

    @Test
    void aTypeThatMakesNoFileHasNoArtifact() {
        String id = submit();
        files.succeed(id, Map.of("ok", true));
        given().get("/api/v1/tasks/" + id).then().statusCode(200).body("artifactUrl", nullValue());
        given().get(url(id))
                .then()
                .statusCode(404)
                .body("type", equalTo("urn:conveyor:problem:artifact-not-found"))
                .body("detail", containsString("noop"));
    }

    @Test
    void anUnknownTaskIsAnsweredLikeTheTaskRoute() {
        String id = UUID.randomUUID().toString();
        String task = given().get("/api/v1/tasks/" + id)
                .then()
                .statusCode(404)
                .extract()
                .asString();
        given().get(url(id))
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body(equalTo(task));
    }

    @Test
    void aFileNoLongerStoredIsGone() {
        String id = submit();
        files.succeed(id, Map.of("artifact", id + ".png", "bytes", 3));
        given().get("/api/v1/tasks/" + id).then().body("artifactUrl", equalTo(url(id)));
        given().get(url(id))
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:conveyor:problem:artifact-gone"))
                .body("detail", containsString(id + ".png"));
    }

    @Test
    void aResultNamingAPathIsNeverServed() {
        String outside = "outside-" + UUID.randomUUID() + ".csv";
        // A real file next to the directory: what "../<name>" would reach if it were followed.
        files.write("../" + outside, "secret".getBytes(StandardCharsets.UTF_8), MODIFIED);
        String inside = "inside-" + UUID.randomUUID() + ".csv";
        files.write(inside, "ok".getBytes(StandardCharsets.UTF_8), MODIFIED);
        Path absolute = Path.of(config.artifacts().dir()).toAbsolutePath().resolve(inside);
        for (String name : new String[] {
            "../" + outside, "..", "sub/../" + inside, "..\\" + outside, absolute.toString(), ".", "a\u0000.csv"
        }) {
            String id = submit();
            files.succeed(id, Map.of("artifact", name));
            given().get("/api/v1/tasks/" + id).then().statusCode(200).body("artifactUrl", nullValue());
            given().get(url(id))
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:conveyor:problem:artifact-not-found"));
        }
        // The same file under its plain name is served: the refusals above are the names', not the file's.
        String plain = submit();
        files.succeed(plain, Map.of("artifact", inside));
        given().get(url(plain)).then().statusCode(200).body(equalTo("ok"));
    }

    @Test
    void anEmptyFileIsServedEmpty() {
        String id = submit();
        files.write(id + ".csv", new byte[0], MODIFIED);
        files.succeed(id, Map.of("artifact", id + ".csv", "rows", 0));
        given().get(url(id))
                .then()
                .statusCode(200)
                .header("Content-Length", "0")
                .header("ETag", matchesPattern("\"0-[0-9a-f]+\""));
        given().header("Range", "bytes=0-").get(url(id)).then().statusCode(416);
    }

    private static String submit() {
        return services.track(Submissions.accepted("{\"type\":\"noop\"}"));
    }
}
