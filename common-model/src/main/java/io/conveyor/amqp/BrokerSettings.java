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
        String connectionName) {

    /** Never prints the password: settings end up in log lines and exception messages. */
    @Override
    public String toString() {
        return "BrokerSettings[" + username + "@" + host + ":" + port + virtualHost + ", connectTimeout="
                + connectTimeout + ", reconnectInterval=" + reconnectInterval + ", connectionName=" + connectionName
                + "]";
    }
}
