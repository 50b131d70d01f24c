package io.conveyor.worker.consume;

import org.junit.jupiter.api.Test;

import io.conveyor.model.TaskEnvelope;
import io.conveyor.worker.deadletter.PoisonMessageException;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static io.conveyor.testsupport.TaskMessageBuilder.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a body into a task envelope: what is poison; no broker needed. */
class TaskDecoderTest {

    @Test
    void readsATaskEnvelope() {
        TaskEnvelope task = TaskDecoder.parse(aTask().ofType("noop").body());

        assertEquals("noop", task.type());
    }

    @Test
    void poisonsABodyThatIsNotJson() {
        PoisonMessageException poison =
                assertThrows(PoisonMessageException.class, () -> TaskDecoder.parse(utf8("not json")));

        assertTrue(poison.getMessage().startsWith("Body is not a task envelope"), poison.getMessage());
    }

    @Test
    void poisonsAnEnvelopeWithoutAType() {
        PoisonMessageException poison = assertThrows(
                PoisonMessageException.class,
                () -> TaskDecoder.parse(utf8("{\"id\":\"t-1\",\"payload\":{},\"maxAttempts\":3}")));

        assertEquals("Task envelope lacks id, type, payload or maxAttempts", poison.getMessage());
    }

    @Test
    void poisonsAnEnvelopeWithoutAttempts() {
        assertThrows(
                PoisonMessageException.class,
                () -> TaskDecoder.parse(utf8("{\"id\":\"t-1\",\"type\":\"noop\",\"payload\":{},\"maxAttempts\":0}")));
    }
}
