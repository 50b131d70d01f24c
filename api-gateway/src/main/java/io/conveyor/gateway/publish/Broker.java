package io.conveyor.gateway.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.conveyor.amqp.BrokerConnector;
import io.conveyor.amqp.ConfirmingPublisher;
import io.conveyor.amqp.TopologyDeclarer;
import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.model.TaskCatalogue;
import io.quarkus.runtime.Startup;

/** The gateway's broker connection: declares the topology on connect and owns the confirming publisher. */
@Startup
@ApplicationScoped
public class Broker {

    private static final Logger LOG = Logger.getLogger(Broker.class);

    private final BrokerConnector connector;
    private final ConfirmingPublisher publisher;
    private final AtomicBoolean blocked = new AtomicBoolean();

    public Broker(GatewayConfig config, TaskCatalogue catalogue) {
        this.connector = new BrokerConnector(config.broker().settings("conveyor-api-gateway"));
        this.publisher = new ConfirmingPublisher(config.publish().channels());
        int quorumReplicas = config.broker().quorumReplicas();
        connector.start(connection -> onConnect(connection, catalogue, quorumReplicas));
    }

    private void onConnect(Connection connection, TaskCatalogue catalogue, int quorumReplicas) {
        try (Channel channel = connection.createChannel()) {
            TopologyDeclarer.declare(channel, catalogue.names(), quorumReplicas);
            publisher.open(connection);
        } catch (IOException | TimeoutException e) {
            throw new UncheckedIOException(new IOException("Declaring the topology failed", e));
        }
        connection.addBlockedListener(new BlockedListener() {
            @Override
            public void handleBlocked(String reason) {
                LOG.warnf("The broker blocked publishing: %s", reason);
                blocked.set(true);
            }

            @Override
            public void handleUnblocked() {
                LOG.info("The broker unblocked publishing");
                blocked.set(false);
            }
        });
    }

    /** The connection, once made; absent while the first connect is pending. */
    public Optional<Connection> connection() {
        return connector.connection().filter(Connection::isOpen);
    }

    /** The confirm-mode channels tasks are published on. */
    public ConfirmingPublisher publisher() {
        return publisher;
    }

    /** Connected, a publishing channel open, and the broker not blocking publishers (memory or disk alarm). */
    public boolean ready() {
        return connector.isOpen() && publisher.isReady() && !blocked.get();
    }

    /** Why {@link #ready()} is false, for health checks and 503 details. */
    public String state() {
        if (!connector.isOpen()) {
            return "not connected to RabbitMQ at " + connector.settings().where();
        }
        if (blocked.get()) {
            return "RabbitMQ is blocking publishers (resource alarm)";
        }
        return publisher.isReady() ? "connected" : "no open publishing channel";
    }

    @PreDestroy
    void close() {
        connector.close();
    }
}
