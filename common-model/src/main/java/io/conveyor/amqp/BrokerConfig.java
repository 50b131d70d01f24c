package io.conveyor.amqp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /**
     * {@code RABBITMQ_ADDRESSES}: the cluster's nodes, {@code host[:port]} separated by commas ({@code [::1]:5672}
     * for IPv6). The client connects to one of them and recovers to another when it goes away. Set, it replaces
     * {@link #host()} and {@link #port()}.
     */
    Optional<String> addresses();

    /** {@code RABBITMQ_HOST}: the one node, without {@link #addresses()}. */
    @WithDefault("localhost")
    String host();

    /** {@code RABBITMQ_PORT}: 5672, or 5671 with TLS when not set. */
    @AtLeast(1)
    @AtMost(65_535)
    Optional<Integer> port();

    /** {@code RABBITMQ_USERNAME}, or the first line of the file {@code RABBITMQ_USERNAME_FILE} names. */
    @WithDefault("guest")
    String username();

    /** {@code RABBITMQ_PASSWORD}, or the first line of the file {@code RABBITMQ_PASSWORD_FILE} names. */
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

    /**
     * {@code CONVEYOR_QUORUM_REPLICAS}: how many nodes hold each quorum queue this app declares
     * ({@code x-quorum-initial-group-size}); 0 leaves it to the broker. The broker compares it with an existing
     * queue's, so it must be set before the queues are first declared.
     */
    @WithDefault("0")
    @AtLeast(0)
    @AtMost(99)
    int quorumReplicas();

    /** TLS to the broker ({@code RABBITMQ_TLS*}). */
    Tls tls();

    /** {@code RABBITMQ_TLS*}: off by default; on, the broker's certificate and host name are verified. */
    interface Tls {

        /** {@code RABBITMQ_TLS=true}: connect with TLS (amqps). */
        @WithDefault("false")
        boolean enabled();

        /** {@code RABBITMQ_TLS_TRUST_STORE}: PKCS#12 or JKS file of the CAs to trust; the JVM's own without it. */
        Optional<Path> trustStore();

        /** {@code RABBITMQ_TLS_TRUST_STORE_PASSWORD}. */
        Optional<String> trustStorePassword();

        /** {@code RABBITMQ_TLS_KEY_STORE}: PKCS#12 or JKS file with the client certificate and key, if the broker wants one. */
        Optional<Path> keyStore();

        /** {@code RABBITMQ_TLS_KEY_STORE_PASSWORD}. */
        Optional<String> keyStorePassword();

        /** {@code RABBITMQ_TLS_VERIFY_HOSTNAME}: check that the certificate names the host connected to. */
        @WithDefault("true")
        boolean verifyHostname();
    }

    /** The settings a {@link BrokerConnector} needs, with the name the broker shows for this connection. */
    default BrokerSettings settings(String connectionName) {
        Optional<BrokerTls> tls = tls().enabled()
                ? Optional.of(new BrokerTls(
                        tls().trustStore(),
                        tls().trustStorePassword().orElse(""),
                        tls().keyStore(),
                        tls().keyStorePassword().orElse(""),
                        tls().verifyHostname()))
                : Optional.empty();
        int defaultPort = tls.isPresent() ? BrokerAddress.TLS_PORT : BrokerAddress.PORT;
        return new BrokerSettings(
                addresses()
                        .map(list -> BrokerAddress.parseList(list, defaultPort))
                        .orElseGet(() -> List.of(new BrokerAddress(host(), port().orElse(defaultPort)))),
                username(),
                password(),
                virtualHost(),
                tls,
                connectTimeout(),
                reconnectInterval(),
                connectionName);
    }
}
