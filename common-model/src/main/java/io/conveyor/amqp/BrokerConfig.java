package io.conveyor.amqp;

import java.time.Duration;

import io.conveyor.config.AtLeast;
import io.conveyor.config.AtMost;
import io.conveyor.config.NoShorterThan;
import io.smallrye.config.WithDefault;

/**
 * The broker settings both apps read, as one configuration group: each app's mapping returns it from
 * {@code broker()}, so the keys ({@code conveyor.broker.*}), their environment variables and defaults are defined
 * once.
 */
public interface BrokerConfig {

    /** {@code RABBITMQ_HOST}. */
    @WithDefault("localhost")
    String host();

    /** {@code RABBITMQ_PORT}. */
    @WithDefault("5672")
    @AtLeast(1)
    @AtMost(65_535)
    int port();

    /** {@code RABBITMQ_USERNAME}. */
    @WithDefault("guest")
    String username();

    /** {@code RABBITMQ_PASSWORD}. */
    @WithDefault("guest")
    String password();

    /** {@code RABBITMQ_VHOST}. */
    @WithDefault("/")
    String virtualHost();

    /** TCP connect and AMQP handshake timeout. */
    @WithDefault("3S")
    @NoShorterThan("PT0.001S")
    Duration connectTimeout();

    /** Pause between reconnection attempts. */
    @WithDefault("2S")
    @NoShorterThan("PT0.001S")
    Duration reconnectInterval();

    /** The settings a {@link BrokerConnector} needs, with the name the broker shows for this connection. */
    default BrokerSettings settings(String connectionName) {
        return new BrokerSettings(
                host(),
                port(),
                username(),
                password(),
                virtualHost(),
                connectTimeout(),
                reconnectInterval(),
                connectionName);
    }
}
