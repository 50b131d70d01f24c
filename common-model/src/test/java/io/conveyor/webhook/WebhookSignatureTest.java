package io.conveyor.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signatures match vectors computed independently with {@code openssl dgst -sha256 -mac HMAC -macopt hexkey:<hex of
 * the decoded secret>}, one of them Standard Webhooks' own example.
 */
class WebhookSignatureTest {

    private static byte[] key(String secret) {
        return WebhookSecrets.parse(List.of("c " + secret), "test").key("c").orElseThrow();
    }

    @Test
    void signsStandardWebhooksReferenceExample() {
        // printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' | openssl dgst -sha256 -mac HMAC
        //   -macopt hexkey:$(printf '%s' MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | base64 -d | xxd -p -c 64) -binary | base64
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        assertEquals(
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                WebhookSignature.sign(
                        key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                        "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        1614265330L,
                        body));
    }

    @Test
    void signsAnOutcomeEvent() {
        String secret = "whsec_"
                + Base64.getEncoder()
                        .encodeToString("conveyor-webhook-test-key-32-byt".getBytes(StandardCharsets.US_ASCII));
        byte[] body = ("{\"id\":\"evt_1\",\"taskId\":\"t-1\",\"type\":\"noop\",\"status\":\"SUCCEEDED\",\"attempt\":1,"
                        + "\"at\":\"2026-12-03T10:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.sign(key(secret), "evt_1", 1733220000L, body);
        assertEquals("v1,pJzLYc7xwzkpp9HSobKeFtQoLzKTtGcdEqXlE0Ys6WA=", signature);
        assertTrue(WebhookSignature.verify(key(secret), "evt_1", 1733220000L, body, "v1,bogus " + signature));
        assertFalse(WebhookSignature.verify(key(secret), "evt_1", 1733220001L, body, signature));
        assertFalse(WebhookSignature.verify(key(secret), "evt_2", 1733220000L, body, signature));
    }
}
