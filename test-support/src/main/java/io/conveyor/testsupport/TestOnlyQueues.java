package io.conveyor.testsupport;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import io.conveyor.model.Topology;

/**
 * Deletes the queues of {@link TestOnlyTaskType}s, and the limit policies a gateway under test set for them, once a
 * test run is over. Every app started by the tests and every {@link LocalServices} declares them like any other
 * type's, so they can only go when nothing runs any more; no deployment has them. Registered with the JUnit Platform
 * through {@code META-INF/services}.
 */
public class TestOnlyQueues implements TestExecutionListener {

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        try {
            if (LocalBroker.hasTestOnlyTypes()) {
                try (LocalBroker broker = new LocalBroker()) {
                    broker.deleteTestOnlyQueues();
                }
                // A gateway under test set a limit policy for each; without the management API it set none.
                LocalManagement.ifRunning()
                        .ifPresent(management -> LocalBroker.testOnlyTypes()
                                .forEach(type -> management.deletePolicy(Topology.limitPolicy(type))));
            }
        } catch (RuntimeException e) {
            // The run is over and its verdict stands; the queues left behind should be known, though.
            System.err.println("Could not delete the queues or policies of test-only task types: " + e);
        }
    }
}
