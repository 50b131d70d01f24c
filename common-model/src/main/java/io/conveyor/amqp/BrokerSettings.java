package io.conveyor.amqp;

import java.time.Duration;

/** Where the broker is and how hard to try reaching it. */
public record BrokerSettings(
        String host,
        int port,
        String username,
        String password,
        String virtualHost,
        Duration connectTimeout,
        Duration reconnectInterval,
        String connectionName) {}
