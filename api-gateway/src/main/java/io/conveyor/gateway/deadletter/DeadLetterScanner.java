package io.conveyor.gateway.deadletter;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;

import io.conveyor.amqp.BrokerUnavailableException;
import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.publish.Broker;
import io.conveyor.model.Topology;

/**
 * Looks at {@code conveyor.dead} by taking its messages one by one, oldest first, on a channel of its own: what a
 * visitor does not acknowledge returns to the queue when the channel closes. One scan at a time in this gateway,
 * since a scan holds the messages it has looked at.
 */
@ApplicationScoped
public class DeadLetterScanner {

    /** Work on the scanning channel; broker failures end the operation as a {@link BrokerUnavailableException}. */
    public interface ChannelWork {
        void run(Channel channel) throws IOException, InterruptedException, TimeoutException;
    }

    /** Looks at one dead letter, still unacknowledged; returns true to stop the scan. */
    public interface Visitor {
        boolean visit(GetResponse message) throws IOException, InterruptedException, TimeoutException;
    }

    private final Broker broker;
    private final int maxScan;
    private final ReentrantLock lock = new ReentrantLock(true);

    public DeadLetterScanner(Broker broker, GatewayConfig config) {
        this.broker = broker;
        this.maxScan = config.deadLetters().maxScan();
    }

    /** Visits the dead letters until the visitor stops, the queue is empty or {@code maxScan} were looked at. */
    public void scan(Visitor visitor) {
        withChannel(channel -> scanOn(channel, visitor));
    }

    /** Runs {@code work} on a new channel, under the lock; the channel is closed after it. */
    public void withChannel(ChannelWork work) {
        var connection = broker.connection().orElseThrow(() -> new BrokerUnavailableException(broker.state()));
        lock.lock();
        try (Channel channel = connection.createChannel()) {
            work.run(channel);
        } catch (IOException | TimeoutException e) {
            throw new BrokerUnavailableException("Dead-letter operation failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("Interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    /** {@link #scan} on a channel of {@link #withChannel}, for work that prepares the channel first. */
    public void scanOn(Channel channel, Visitor visitor) throws IOException, InterruptedException, TimeoutException {
        GetResponse message;
        int scanned = 0;
        // Taken without ack: everything not acknowledged returns to the queue when the channel closes.
        while (scanned++ < maxScan && (message = channel.basicGet(Topology.DEAD_QUEUE, false)) != null) {
            if (visitor.visit(message)) {
                return;
            }
        }
    }
}
