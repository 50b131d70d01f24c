package io.conveyor.amqp;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where the broker is and how hard to try reaching it. */
public record BrokerSettings(
        List<BrokerAddress> addresses,
        String username,
        String password,
        String virtualHost,
        Optional<BrokerTls> tls,
        Duration connectTimeout,
        Duration reconnectInterval,
        String connectionName) {

    public BrokerSettings {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("No broker address");
        }
    }

    /** One node, without TLS. */
    public BrokerSettings(
            String host,
            int port,
            String username,
            String password,
            String virtualHost,
            Duration connectTimeout,
            Duration reconnectInterval,
            String connectionName) {
        this(
                List.of(new BrokerAddress(host, port)),
                username,
                password,
                virtualHost,
                Optional.empty(),
                connectTimeout,
                reconnectInterval,
                connectionName);
    }

    /** The nodes, for log lines and health messages: {@code amqps://a:5671,b:5671}. */
    public String where() {
        return (tls.isPresent() ? "amqps://" : "amqp://")
                + addresses.stream().map(BrokerAddress::toString).collect(Collectors.joining(","));
    }

    /** Never prints the password: settings end up in log lines and exception messages. */
    @Override
    public String toString() {
        return "BrokerSettings[" + username + "@" + where() + virtualHost + ", tls="
                + tls.map(BrokerTls::toString).orElse("off")
                + ", connectTimeout=" + connectTimeout + ", reconnectInterval=" + reconnectInterval
                + ", connectionName=" + connectionName + "]";
    }
}
