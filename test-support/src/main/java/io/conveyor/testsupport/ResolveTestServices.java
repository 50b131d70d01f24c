package io.conveyor.testsupport;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Has {@link TestServices} decide where the run's services come from as soon as the JUnit Platform opens its session:
 * before discovery and before any test, so before the first {@code @QuarkusTest} boots an app, which then reads the
 * services' addresses like any test. Registered through {@code META-INF/services}; a session opened again in the same
 * JVM finds the decision made.
 */
public class ResolveTestServices implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        // Testcontainers finds its parts through the context class loader: this module's, not one a test framework
        // may have put in place for its own discovery.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ResolveTestServices.class.getClassLoader());
        try {
            TestServices.resolve();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
