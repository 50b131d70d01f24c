package io.conveyor.amqp;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * Owns the one AMQP connection of an app. The first connect is retried in the background for as long as it
 * takes (an app started during a broker outage waits instead of exiting); after that the client's automatic
 * recovery reconnects, re-opens channels and re-registers consumers.
 */
public final class BrokerConnector implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BrokerConnector.class);
    private static final int CLOSE_TIMEOUT_MS = 5_000;

    private final BrokerSettings settings;
    private final ConnectionFactory factory;
    private final List<Address> addresses;
    private final ScheduledExecutorService retries;
    private volatile Connection connection;
    private volatile boolean closed;

    public BrokerConnector(BrokerSettings settings) {
        this.settings = settings;
        this.factory = new ConnectionFactory();
        factory.setUsername(settings.username());
        factory.setPassword(settings.password());
        factory.setVirtualHost(settings.virtualHost());
        factory.setConnectionTimeout((int) settings.connectTimeout().toMillis());
        factory.setHandshakeTimeout((int) settings.connectTimeout().toMillis());
        factory.setRequestedHeartbeat(10);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(settings.reconnectInterval().toMillis());
        settings.tls().ifPresent(tls -> {
            factory.useSslProtocol(tls.context());
            if (tls.verifyHostname()) {
                factory.enableHostnameVerification();
            }
        });
        this.addresses = settings.addresses().stream()
                .map(a -> new Address(a.host(), a.port()))
                .toList();
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "conveyor-broker-connect");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects now if the broker answers, else keeps trying every reconnect interval; {@code onConnect} runs once,
     * on the first successful connection (declare topology, start consumers there).
     */
    public void start(Consumer<Connection> onConnect) {
        retries.execute(() -> attempt(onConnect));
    }

    private void attempt(Consumer<Connection> onConnect) {
        if (closed) {
            return;
        }
        Connection c = null;
        try {
            // With several nodes the client tries them in a shuffled order, and so does its automatic recovery: a
            // connection whose node goes away comes back on another one.
            c = factory.newConnection(addresses, settings.connectionName());
            onConnect.accept(c);
            connection = c;
            if (closed) {
                // close() ran meanwhile and may have missed this connection.
                c.abort(CLOSE_TIMEOUT_MS);
                return;
            }
            LOG.infof(
                    "Connected to RabbitMQ at %s (node %s)",
                    settings.where(), c.getAddress().getHostAddress() + ":" + c.getPort());
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (c == null) {
                LOG.warnf(
                        "RabbitMQ at %s not reachable (%s); retrying in %s",
                        settings.where(), e.toString(), settings.reconnectInterval());
            } else {
                // The next attempt opens a new connection: this one would stay open (and keep recovering) forever.
                c.abort(CLOSE_TIMEOUT_MS);
                LOG.warnf(
                        "Setting up the connection to RabbitMQ at %s failed (%s); retrying in %s",
                        settings.where(), e.toString(), settings.reconnectInterval());
            }
            retries.schedule(
                    () -> attempt(onConnect), settings.reconnectInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The connection once established; it may be recovering (check {@link #isOpen()}). */
    public Optional<Connection> connection() {
        return Optional.ofNullable(connection);
    }

    public boolean isOpen() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    public BrokerSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        Connection c = connection;
        if (c != null) {
            try {
                c.close(CLOSE_TIMEOUT_MS);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Closing the broker connection: %s", e);
            }
        }
    }
}
