package io.conveyor.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.Topology;
import io.conveyor.model.payload.EmailAttachment;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bad input gets a problem+json 4xx and publishes nothing. */
@QuarkusTest
class InvalidRequestTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    TaskCatalogue catalogue;

    @AfterAll
    static void nothingWasPublished() {
        // Runs before the extension's clean-up, which purges and closes.
        for (String type : new String[] {"noop", "send_email", "sleep", "fail", "resize_image"}) {
            assertEquals(
                    0,
                    services.broker().messageCount(Topology.taskQueue(type)),
                    "a rejected request published to " + type);
        }
    }

    @Test
    void malformedJsonIs400() {
        given().contentType(ContentType.JSON)
                .body("{\"type\": \"noop\"")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Malformed JSON"))
                .body("status", equalTo(400))
                .body("type", containsString("malformed-json"));
    }

    @Test
    void wrongFieldTypeIs400NamingTheField() {
        given().contentType(ContentType.JSON)
                .body(
                        "{\"type\":\"send_email\",\"payload\":{\"to\":\"a@example.com\",\"subject\":\"s\",\"body\":\"b\",\"html\":\"yes\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("payload.html"))
                .body("errors.message", hasItem("must be a boolean"));
    }

    @Test
    void constraintViolationsAre400ListingEachField() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"send_email\",\"payload\":{\"to\":\"not-an-email\",\"cc\":[\"bad\"]}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid task request"))
                .body("errors.field", hasItems("payload.to", "payload.subject", "payload.body", "payload.cc[0]"));
    }

    @Test
    void inlineAttachmentOverItsCapIsRefusedNamingIt() {
        // Over 128 KiB decoded, yet well within the body limit: the payload's own cap answers.
        String content = Base64.getEncoder().encodeToString(new byte[EmailAttachment.MAX_INLINE_BYTES + 3]);
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"send_email\",\"payload\":{\"to\":\"a@example.com\",\"template\":\"welcome\","
                        + "\"attachments\":[{\"filename\":\"a.bin\",\"content\":\"" + content + "\"}]}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .body("errors.field", equalTo(List.of("payload.attachments[0].content")))
                .body("errors.message[0]", containsString(String.valueOf(EmailAttachment.MAX_INLINE_BYTES)));
    }

    @Test
    void attachmentErrorsNameTheAttachmentByIndex() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"send_email\",\"payload\":{\"to\":\"a@example.com\",\"template\":\"welcome\","
                        + "\"attachments\":[{\"filename\":\"ok.csv\",\"artifact\":\"x.csv\"},"
                        + "{\"filename\":\"../up.csv\"},{\"filename\":\"c.bin\",\"content\":\"not base64\"}]}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .body(
                        "errors.field",
                        equalTo(List.of(
                                "payload.attachments[1].artifact",
                                "payload.attachments[1].filename",
                                "payload.attachments[2].content")));
    }

    @Test
    void bodyAndTemplateTogetherAreRefusedOnBody() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"send_email\",\"payload\":{\"to\":\"a@example.com\",\"subject\":\"s\","
                        + "\"body\":\"b\",\"template\":\"welcome\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .body("errors.field", equalTo(List.of("payload.body")))
                .body("errors.message[0]", equalTo("must not be given with template; give one of them"));
    }

    @Test
    void subjectOver998CharactersIsRefused() {
        String subject = "x".repeat(999);
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"send_email\",\"payload\":{\"to\":\"a@example.com\",\"subject\":\"" + subject
                        + "\",\"body\":\"b\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("payload.subject"));
    }

    @Test
    void unknownPayloadFieldIsRefusedNotDropped() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT1S\",\"durtion\":\"PT2S\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("payload.durtion"))
                .body("errors.message[0]", containsString("duration"));
    }

    @Test
    void optionsOutOfRangeAre400() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"noop\",\"options\":{\"maxAttempts\":26,\"priority\":10}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("options.maxAttempts", "options.priority"));
    }

    @Test
    void aJpegQualityForPngOutputAndAnUnknownFitAre400() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"resize_image\",\"payload\":{\"source\":\"data:,x\",\"width\":10,"
                        + "\"height\":10,\"fit\":\"fill\",\"quality\":80}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("payload.quality", "payload.fit"))
                .body(
                        "errors.find { it.field == 'payload.quality' }.message",
                        equalTo("applies to jpeg output only (format is png, which is lossless)"))
                .body(
                        "errors.find { it.field == 'payload.fit' }.message",
                        equalTo("must be stretch, contain or cover"));
    }

    @Test
    void sleepLongerThanTenMinutesIsRefused() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT11M\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("payload.duration"));
    }

    @Test
    void unknownTypeIs400ListingTheKnownOnes() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"resize_imagee\",\"payload\":{}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Unknown task type"))
                .body("detail", containsString(catalogue.names().toString()));
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "{\"type\":\"noop\",\"payload\":{\"x\":\"" + "a".repeat(300 * 1024) + "\"}}";
        given().contentType(ContentType.JSON)
                .body(big)
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413));
    }

    @Test
    void notJsonIs415() {
        given().contentType(ContentType.TEXT)
                .body("type=noop")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415));
    }

    @Test
    void seedRouteRefusesABadRecipient() {
        given().contentType(ContentType.JSON)
                .body("{\"task_type\":\"send_email\",\"task_param\":\"nobody\"}")
                .when()
                .post("/async-task")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("task_param"));
    }

    @Test
    void seedRouteRefusesOtherTaskTypes() {
        given().contentType(ContentType.JSON)
                .body("{\"task_type\":\"resize\",\"task_param\":\"a@example.com\"}")
                .when()
                .post("/async-task")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("task_type"));
    }

    static Stream<String> malformedBodies() {
        return Stream.of(
                "",
                " ",
                "null",
                "[]",
                "\"noop\"",
                "42",
                "true",
                "{}",
                "{\"type\":null}",
                "{\"type\":1}",
                "{\"type\":[\"noop\"]}",
                "{\"type\":\"noop\",\"payload\":[]}",
                "{\"type\":\"noop\",\"payload\":\"x\"}",
                "{\"type\":\"noop\",\"payload\":{\"a\":1}}",
                "{\"type\":\"noop\",\"options\":[]}",
                "{\"type\":\"noop\",\"options\":{\"delay\":\"soon\"}}",
                "{\"type\":\"noop\",\"options\":{\"delay\":\"-PT1S\"}}",
                "{\"type\":\"noop\",\"options\":{\"maxAttempts\":\"3\"}}",
                "{\"type\":\"noop\",\"options\":{\"maxAttempts\":1e400}}",
                "{\"type\":\"noop\",\"extra\":1}",
                "{\"type\":\"noop\"} trailing",
                "{\"type\":\"noop\",\"type\":\"sleep\",}",
                "{\"type\":\"sleep\",\"payload\":{\"duration\":\"P1Y\"}}",
                "{\"type\":\"sleep\",\"payload\":{\"duration\":12}}",
                "{\"type\":\"sleep\",\"payload\":{\"duration\":{}}}",
                "{\"type\":\"fail\",\"payload\":{\"times\":-1}}",
                "{\"type\":\"fail\",\"payload\":{\"times\":99999999999}}",
                "{\"type\":\"fail\",\"payload\":{\"permanent\":null,\"times\":\"1\"}}",
                "{\"type\":\"send_email\",\"payload\":{\"to\":[],\"cc\":\"a@example.com\"}}",
                "{\"type\":\"send_email\",\"payload\":{\"to\":\"a@example.com\",\"subject\":\"s\",\"body\":\"b\",\"cc\":[null]}}",
                "[".repeat(5000) + "]".repeat(5000),
                "{\"type\":\"\\ud800\"}",
                "\u0000",
                "{\"type\":\"noop\",\"options\":{\"idempotencyKey\":\"\"}}");
    }

    @ParameterizedTest
    @MethodSource("malformedBodies")
    void noMalformedBodyYieldsA5xx(String body) {
        given().contentType(ContentType.JSON)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(lessThan(500))
                .statusCode(equalTo(400))
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/async-task")
                .then()
                .statusCode(equalTo(400))
                .contentType("application/problem+json");
    }

    @Test
    void invalidUtf8IsA400() {
        given().contentType(ContentType.JSON)
                .body(new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'})
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void unknownPathIsAProblem404() {
        given().when().get("/api/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
    }
}
