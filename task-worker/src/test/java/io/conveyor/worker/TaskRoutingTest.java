package io.conveyor.worker;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Headers;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.result.EmailSent;
import io.conveyor.model.result.NoResult;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.outcome.TaskOutcome;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static io.conveyor.testsupport.TaskMessageBuilder.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each type reaches its own handler through its own queue; what no handler can run goes to the dead letters. */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class TaskRoutingTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @SmtpServer.InjectSmtp
    GreenMail smtp;

    @Inject
    OutcomeRecorder outcomes;

    @org.junit.jupiter.api.AfterEach
    void forgetState() {
        services.track(outcomes.taskIds());
    }

    @Test
    void consumesEveryTypesQueue() {
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> List.of("noop", "send_email", "sleep", "fail").stream()
                        .allMatch(type -> services.broker().consumerCount(Topology.taskQueue(type)) >= 1));
    }

    @Test
    void sendsEmailOverSmtpWithRecipientSubjectAndBody() throws Exception {
        String id = aTask().ofType("send_email")
                .withPayload(
                        "{\"to\":\"user@example.com\",\"subject\":\"Your report\",\"body\":\"It is ready.\",\"cc\":[\"boss@example.com\"]}")
                .publishTo(services.broker());
        TaskOutcome done = outcomes.await(id, TaskStatus.SUCCEEDED, WAIT).get(0);
        assertEquals("<" + id + "@conveyor>", ((EmailSent) done.result()).messageId());
        Awaitility.await().atMost(WAIT).until(() -> smtp.getReceivedMessagesForDomain("example.com").length >= 2);
        MimeMessage mail = smtp.getReceivedMessagesForDomain("user@example.com")[0];
        assertEquals("Your report", mail.getSubject());
        assertEquals("It is ready.", GreenMailUtil.getBody(mail).trim());
        assertEquals("user@example.com", mail.getAllRecipients()[0].toString());
        assertEquals("<" + id + "@conveyor>", mail.getMessageID());
    }

    @Test
    void routesNoopToItsHandlerAndAcknowledges() {
        String id = aTask().ofType("noop").publishTo(services.broker());
        TaskOutcome done = outcomes.await(id, TaskStatus.SUCCEEDED, WAIT).get(0);
        assertEquals(NoResult.INSTANCE, done.result());
        Awaitility.await().atMost(WAIT).until(() -> services.broker().messageCount(Topology.taskQueue("noop")) == 0);
    }

    @Test
    void deadLettersAnUnparseableMessageAtOnce() {
        var task = aTask().ofType("noop");
        task.publishTo(services.broker(), utf8("this is not json"));
        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);
        assertEquals("poison", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertEquals("1", LocalBroker.header(dead, Headers.ATTEMPT));
        assertEquals("this is not json", new String(dead.getBody()));
        assertTrue(LocalBroker.header(dead, Headers.ERROR_MESSAGE).contains("not a task envelope"));
    }

    @Test
    void deadLettersAnUnknownTypeAtOnce() {
        var task = aTask().ofType("noop");
        // The envelope names a type no handler serves, though it arrived on the noop queue.
        task.publishTo(
                services.broker(),
                utf8("{\"id\":\"" + task.id() + "\",\"type\":\"teleport\",\"payload\":{},\"maxAttempts\":3,"
                        + "\"createdAt\":\"2026-01-01T00:00:00Z\"}"));
        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);
        assertEquals("poison", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertTrue(LocalBroker.header(dead, Headers.ERROR_MESSAGE).contains("teleport"));
    }

    @Test
    void deadLettersAnInvalidPayloadAtOnce() {
        var task = aTask().ofType("sleep").withPayload("{\"duration\":\"PT20M\"}");
        task.publishTo(services.broker());
        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);
        assertEquals("poison", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertTrue(LocalBroker.header(dead, Headers.ERROR_MESSAGE).contains("duration"));
        // The dead letter is published (and confirmed) before the outcome is recorded: it can be here first.
        assertEquals(
                List.of(TaskStatus.DEAD),
                outcomes.await(task.id(), TaskStatus.DEAD, WAIT).stream()
                        .map(TaskOutcome::status)
                        .toList());
    }

    @Test
    void deadLettersAPermanentFailureWithItsStory() {
        var task = aTask().ofType("fail").withPayload("{\"permanent\":true}");
        task.publishTo(services.broker());
        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);
        assertEquals("non-retryable", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertEquals("io.conveyor.worker.handler.NonRetryableException", LocalBroker.header(dead, Headers.ERROR_CLASS));
        assertEquals("fail task asked for a permanent failure", LocalBroker.header(dead, Headers.ERROR_MESSAGE));
        assertTrue(LocalBroker.header(dead, Headers.ERROR_STACK).contains("FailHandler.handle"));
        assertNotNull(LocalBroker.header(dead, Headers.FAILED_AT));
        assertNotNull(LocalBroker.header(dead, Headers.WORKER));
        assertEquals("fail", LocalBroker.header(dead, Headers.ORIGINAL_ROUTING_KEY));
        assertEquals(
                1, outcomes.await(task.id(), TaskStatus.DEAD, WAIT).size(), "a non-retryable failure is not retried");
    }
}
