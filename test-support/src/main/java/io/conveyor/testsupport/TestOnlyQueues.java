package io.conveyor.testsupport;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Deletes the queues of {@link TestOnlyTaskType}s once a test run is over. Every app started by the tests and every
 * {@link LocalServices} declares them like any other type's, so they can only go when nothing runs any more; no
 * deployment has them. Registered with the JUnit Platform through {@code META-INF/services}.
 */
public class TestOnlyQueues implements TestExecutionListener {

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        try {
            if (LocalBroker.hasTestOnlyTypes()) {
                try (LocalBroker broker = new LocalBroker()) {
                    broker.deleteTestOnlyQueues();
                }
            }
        } catch (RuntimeException e) {
            // The run is over and its verdict stands; the queues left behind should be known, though.
            System.err.println("Could not delete the queues of test-only task types: " + e);
        }
    }
}
