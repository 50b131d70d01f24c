package io.conveyor.gateway.publish;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.amqp.BatchCompleter;
import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.state.TaskStore;

/**
 * The gateway's side of batches: a cancel that ends a batch's last task, or a read that finds a done batch whose
 * onComplete task is unpublished (its publisher died), publishes that task through {@link BatchCompleter}. In the
 * background: if this gateway fails or dies, the cancelled task's message still reaches a worker, which finds it
 * cancelled and publishes it then.
 */
@ApplicationScoped
public class BatchCompletion {

    private static final Logger LOG = Logger.getLogger(BatchCompletion.class);

    private final BatchCompleter completer;

    public BatchCompletion(Broker broker, TaskStore store, GatewayConfig config) {
        this.completer = new BatchCompleter(
                store::script, broker.publisher(), config.publish().confirmTimeout());
    }

    /** Publishes the batch's onComplete task if it is due; null or empty: nothing to do. Never fails. */
    public void completeInBackground(String batchId) {
        if (batchId == null || batchId.isEmpty()) {
            return;
        }
        completer.complete(batchId).whenComplete((ok, e) -> {
            if (e != null) {
                LOG.warnf("Batch %s: its onComplete task is left to a worker (%s)", batchId, e.toString());
            }
        });
    }
}
