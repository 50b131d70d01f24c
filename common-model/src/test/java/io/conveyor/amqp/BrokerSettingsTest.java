package io.conveyor.amqp;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerSettingsTest {

    @Test
    void printsWhereTheBrokerIsButNeverThePassword() {
        BrokerSettings settings = new BrokerSettings(
                "mq.internal",
                5671,
                "conveyor",
                "s3cret-Pa55",
                "/tasks",
                Duration.ofSeconds(3),
                Duration.ofSeconds(2),
                "conveyor-api-gateway");

        String printed = settings.toString();

        assertTrue(printed.contains("conveyor@amqp://mq.internal:5671/tasks"), printed);
        assertFalse(printed.contains("s3cret-Pa55"), printed);
    }
}
