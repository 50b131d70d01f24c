package io.conveyor.gateway.limits;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limit policies' shape, and what other policies of the vhost do to them; no broker needed. */
class LimitPoliciesTest {

    private static final LimitPolicy SEND_EMAIL = new LimitPolicy("send_email", 10_000, 10);
    private static final LimitPolicy NOOP = new LimitPolicy("noop", 1_000_000, 10);

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void aPolicyMatchesItsQueueOnlyAndRefusesWhatDoesNotFit() throws Exception {
        assertEquals("conveyor-limit-send_email", SEND_EMAIL.name());
        // As text: Jackson's numeric nodes of different widths are never equal.
        assertEquals(
                "{\"pattern\":\"^conveyor\\\\.task\\\\.send_email$\",\"definition\":{\"max-length\":10000,"
                        + "\"overflow\":\"reject-publish\"},\"priority\":10,\"apply-to\":\"queues\"}",
                SEND_EMAIL.body().toString());
        assertTrue("conveyor.task.send_email".matches(SEND_EMAIL.pattern()));
        assertFalse("conveyor.task.send_email_v2".matches(SEND_EMAIL.pattern()));
        assertFalse("conveyorxtaskxsend_email".matches(SEND_EMAIL.pattern()));
    }

    @Test
    void aPolicyAsTheApiListsItIsRecognisedUnlessItDiffers() throws Exception {
        String listed =
                "{'vhost':'/','name':'conveyor-limit-send_email','pattern':'^conveyor\\\\.task\\\\.send_email$',"
                        + "'apply-to':'queues','definition':{'max-length':10000,'overflow':'reject-publish'},'priority':10}";
        assertTrue(SEND_EMAIL.isSetAs(json(listed)));
        assertFalse(new LimitPolicy("send_email", 500, 10).isSetAs(json(listed)), "another limit");
        assertFalse(new LimitPolicy("send_email", 10_000, 20).isSetAs(json(listed)), "another priority");
        assertFalse(SEND_EMAIL.isSetAs(json(listed.replace("reject-publish", "drop-head"))), "another overflow");
    }

    @Test
    void theDefaultVhostIsOnePathSegment() {
        assertEquals("%2F", ManagementApi.segment("/"));
        assertEquals("my%20vhost", ManagementApi.segment("my vhost"));
    }

    @Test
    void theManagementUrlDefaultsToTheBrokerHostAndRefusesCredentials() {
        assertEquals(
                "http://rabbitmq:15672",
                ManagementApi.baseUrl(Optional.empty(), "rabbitmq").toString());
        assertEquals(
                "https://mq.example.com/rabbit",
                ManagementApi.baseUrl(Optional.of("https://mq.example.com/rabbit/"), "ignored")
                        .toString());
        String secret = assertThrows(
                        IllegalArgumentException.class,
                        () -> ManagementApi.baseUrl(Optional.of("http://admin:s3cret@rabbitmq:15672"), "x"))
                .getMessage();
        assertTrue(secret.contains("RABBITMQ_MANAGEMENT_URL") && !secret.contains("s3cret"), secret);
        assertThrows(IllegalArgumentException.class, () -> ManagementApi.baseUrl(Optional.of("rabbitmq:15672"), "x"));
    }

    @Test
    void anotherPolicyOfHigherPriorityWithoutALimitLeavesTheQueueUnbounded() throws Exception {
        PolicyPrecedence.Report report = PolicyPrecedence.check(
                List.of(SEND_EMAIL, NOOP),
                json("[{'name':'ops-everything','pattern':'^conveyor\\\\.','apply-to':'all','priority':50,"
                        + "'definition':{'queue-leader-locator':'balanced'}}]"));
        assertEquals(Set.of("conveyor.task.send_email", "conveyor.task.noop"), report.unbounded());
        assertEquals(1, report.warnings().size());
        assertTrue(
                report.warnings().get(0).contains("'ops-everything' (priority 50)"),
                report.warnings().get(0));
    }

    @Test
    void anotherPolicyOfHigherPriorityWithALimitOfItsOwnKeepsTheQueueBounded() throws Exception {
        PolicyPrecedence.Report report = PolicyPrecedence.check(
                List.of(SEND_EMAIL),
                json("[{'name':'ops-mail','pattern':'send_email','apply-to':'queues','priority':20,"
                        + "'definition':{'max-length':50,'overflow':'reject-publish'}}]"));
        assertEquals(Set.of(), report.unbounded());
        assertEquals(List.of(), report.warnings());
        assertEquals(1, report.notes().size());
    }

    @Test
    void anotherPolicyOfEqualPriorityIsAWarningTooSinceRabbitMqPicksEither() throws Exception {
        PolicyPrecedence.Report report = PolicyPrecedence.check(
                List.of(SEND_EMAIL),
                json(
                        "[{'name':'tie','pattern':'.*','apply-to':'queues','priority':10,'definition':{'expires':60000}}]"));
        assertEquals(Set.of("conveyor.task.send_email"), report.unbounded());
        assertTrue(
                report.warnings().get(0).contains("same priority"),
                report.warnings().get(0));
    }

    @Test
    void anotherPolicyOfLowerPriorityThatOursReplacesIsNamedNotSilentlyDropped() throws Exception {
        PolicyPrecedence.Report report = PolicyPrecedence.check(
                List.of(SEND_EMAIL),
                json("[{'name':'blanket','pattern':'.*','apply-to':'queues','priority':0,"
                        + "'definition':{'queue-leader-locator':'balanced'}}]"));
        assertEquals(Set.of(), report.unbounded());
        assertEquals(1, report.warnings().size());
        String warning = report.warnings().get(0);
        assertTrue(warning.contains("'blanket'") && warning.contains("queue-leader-locator"), warning);
    }

    @Test
    void policiesForExchangesOrOtherQueuesAndOurOwnAreLeftAlone() throws Exception {
        PolicyPrecedence.Report report = PolicyPrecedence.check(
                List.of(SEND_EMAIL),
                json("[{'name':'ex','pattern':'.*','apply-to':'exchanges','priority':99,'definition':{}},"
                        + "{'name':'other','pattern':'^orders\\\\.','apply-to':'queues','priority':99,'definition':{}},"
                        + "{'name':'conveyor-limit-resize_image','pattern':'^conveyor\\\\.task\\\\.resize_image$',"
                        + "'apply-to':'queues','priority':10,'definition':{'max-length':5}},"
                        + "{'name':'broken','pattern':'(','apply-to':'queues','priority':99,'definition':{}}]"));
        assertEquals(Set.of(), report.unbounded());
        assertEquals(List.of(), report.warnings());
        assertEquals(List.of(), report.notes());
    }
}
