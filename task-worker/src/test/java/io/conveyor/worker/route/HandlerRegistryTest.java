package io.conveyor.worker.route;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.conveyor.amqp.BrokerConfig;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.payload.FailPayload;
import io.conveyor.model.payload.NoopPayload;
import io.conveyor.model.payload.ResizeImagePayload;
import io.conveyor.model.payload.SendEmailPayload;
import io.conveyor.model.payload.SleepPayload;
import io.conveyor.worker.config.ThreadKind;
import io.conveyor.worker.config.WorkerConfig;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;
import io.conveyor.worker.handler.fail.FailHandler;
import io.conveyor.worker.handler.fetch.FetchConfig;
import io.conveyor.worker.handler.noop.NoopHandler;
import io.conveyor.worker.handler.resizeimage.ResizeImageHandler;
import io.conveyor.worker.handler.sleep.SleepHandler;
import io.conveyor.worker.route.HandlerRegistry.Route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandlerRegistryTest {

    private static final TaskCatalogue CATALOGUE =
            TaskCatalogue.of(List.of(FailPayload.class, NoopPayload.class, SendEmailPayload.class, SleepPayload.class));

    /** Stands in for the SMTP handler, which needs a Mailer. */
    static final class TestEmailHandler implements TaskHandler<SendEmailPayload> {
        @Override
        public Class<SendEmailPayload> payloadType() {
            return SendEmailPayload.class;
        }

        @Override
        public Object handle(SendEmailPayload payload, TaskContext context) {
            return Map.of();
        }
    }

    /** A second handler for noop: two handlers for one type must stop the worker. */
    static final class SecondNoopHandler implements TaskHandler<NoopPayload> {
        @Override
        public Class<NoopPayload> payloadType() {
            return NoopPayload.class;
        }

        @Override
        public Object handle(NoopPayload payload, TaskContext context) {
            return Map.of();
        }
    }

    record NotInTheCatalogue() {}

    static final class StrayHandler implements TaskHandler<NotInTheCatalogue> {
        @Override
        public Class<NotInTheCatalogue> payloadType() {
            return NotInTheCatalogue.class;
        }

        @Override
        public Object handle(NotInTheCatalogue payload, TaskContext context) {
            return Map.of();
        }
    }

    /** Just the settings the registry reads; the rest would be a mistake to touch. */
    record TestConfig(
            List<String> types,
            boolean diagnostics,
            Map<String, Duration> timeouts,
            boolean virtualThreads,
            Map<String, ThreadKind> threads)
            implements WorkerConfig {

        TestConfig(List<String> types, boolean diagnostics) {
            this(types, diagnostics, Map.of());
        }

        TestConfig(List<String> types, boolean diagnostics, Map<String, Duration> timeouts) {
            this(types, diagnostics, timeouts, true, Map.of());
        }

        @Override
        public Worker worker() {
            return new TestWorker(types, timeouts, virtualThreads, threads);
        }

        @Override
        public BrokerConfig broker() {
            throw new UnsupportedOperationException("not read by the registry");
        }

        @Override
        public Retry retry() {
            throw new UnsupportedOperationException("not read by the registry");
        }

        @Override
        public State state() {
            throw new UnsupportedOperationException("not read by the registry");
        }
    }

    /**
     * The worker group of {@link TestConfig}. A named class: WorkerConfig's constraints make its methods validated,
     * which CDI refuses on an anonymous class.
     */
    record TestWorker(
            List<String> types, Map<String, Duration> timeouts, boolean virtualThreads, Map<String, ThreadKind> threads)
            implements WorkerConfig.Worker {
        @Override
        public List<String> types() {
            return types;
        }

        @Override
        public int concurrency() {
            throw new UnsupportedOperationException("not read by the registry");
        }

        @Override
        public java.util.OptionalInt prefetch() {
            throw new UnsupportedOperationException("not read by the registry");
        }

        @Override
        public Duration drainTimeout() {
            throw new UnsupportedOperationException("not read by the registry");
        }

        @Override
        public Duration settleTimeout() {
            throw new UnsupportedOperationException("not read by the registry");
        }

        @Override
        public Optional<String> name() {
            throw new UnsupportedOperationException("not read by the registry");
        }

        @Override
        public Duration heartbeatInterval() {
            throw new UnsupportedOperationException("not read by the registry");
        }

        @Override
        public Optional<Path> executionLog() {
            throw new UnsupportedOperationException("not read by the registry");
        }

        @Override
        public Map<String, Duration> timeouts() {
            return timeouts;
        }

        @Override
        public boolean virtualThreads() {
            return virtualThreads;
        }

        @Override
        public Map<String, ThreadKind> threads() {
            return threads;
        }

        @Override
        public Map<String, String> rate() {
            throw new UnsupportedOperationException("not read by the registry");
        }

        @Override
        public Map<String, String> maxRunning() {
            throw new UnsupportedOperationException("not read by the registry");
        }

        @Override
        public WorkerConfig.Limit limit() {
            throw new UnsupportedOperationException("not read by the registry");
        }
    }

    private final NoopHandler noop = new NoopHandler();
    private final SleepHandler sleep = new SleepHandler();
    private final FailHandler fail = new FailHandler();
    private final TestEmailHandler email = new TestEmailHandler();
    private final List<TaskHandler<?>> allHandlers = List.of(noop, sleep, fail, email);

    private static WorkerConfig config(boolean diagnostics, String... types) {
        return new TestConfig(List.of(types), diagnostics);
    }

    @ParameterizedTest(name = "types \"{0}\"")
    @ValueSource(strings = {"all", "ALL", " all "})
    void allRoutesEveryTypeToItsHandler(String all) {
        Map<String, Route> routes = HandlerRegistry.build(CATALOGUE, allHandlers, config(true, all));

        assertEquals(List.of("fail", "noop", "send_email", "sleep"), List.copyOf(routes.keySet()));
        assertSame(fail, routes.get("fail").handler());
        assertSame(noop, routes.get("noop").handler());
        assertSame(email, routes.get("send_email").handler());
        assertSame(sleep, routes.get("sleep").handler());
        routes.forEach((name, route) -> assertEquals(name, route.type().name()));
        assertEquals(SendEmailPayload.class, routes.get("send_email").type().payloadClass());
    }

    @Test
    void aSubsetRoutesOnlyTheNamedTypesTrimmed() {
        Map<String, Route> routes = HandlerRegistry.build(CATALOGUE, allHandlers, config(true, "noop", " sleep "));

        assertEquals(List.of("noop", "sleep"), List.copyOf(routes.keySet()));
        assertSame(noop, routes.get("noop").handler());
        assertSame(sleep, routes.get("sleep").handler());
    }

    @Test
    void blankAndRepeatedNamesInTheSubsetAreIgnored() {
        Map<String, Route> routes =
                HandlerRegistry.build(CATALOGUE, allHandlers, config(true, "noop", " ", "noop ", "fail"));

        assertEquals(List.of("fail", "noop"), List.copyOf(routes.keySet()));
    }

    @Test
    void aSubsetNeedsHandlersOnlyForItsOwnTypes() {
        Map<String, Route> routes = HandlerRegistry.build(CATALOGUE, List.of(email), config(true, "send_email"));

        assertEquals(List.of("send_email"), List.copyOf(routes.keySet()));
    }

    @Test
    void twoHandlersForOneTypeFailNamingBothClasses() {
        List<TaskHandler<?>> handlers = List.of(noop, sleep, fail, email, new SecondNoopHandler());

        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> HandlerRegistry.build(CATALOGUE, handlers, config(true, "all")));

        assertTrue(e.getMessage().contains("'noop'"), e.getMessage());
        assertTrue(e.getMessage().contains(NoopHandler.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(SecondNoopHandler.class.getName()), e.getMessage());
    }

    @Test
    void twoHandlersForOneTypeFailEvenWhenThatTypeIsNotConsumed() {
        List<TaskHandler<?>> handlers = List.of(noop, sleep, fail, email, new SecondNoopHandler());

        assertThrows(
                IllegalStateException.class,
                () -> HandlerRegistry.build(CATALOGUE, handlers, config(true, "send_email")));
    }

    @Test
    void aConsumedTypeWithoutHandlerFailsNamingTheType() {
        List<TaskHandler<?>> handlers = List.of(noop, sleep, fail);

        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> HandlerRegistry.build(CATALOGUE, handlers, config(true, "all")));

        assertTrue(e.getMessage().contains("'send_email'"), e.getMessage());
        assertTrue(e.getMessage().contains("TaskHandler<SendEmailPayload>"), e.getMessage());
    }

    @Test
    void aHandlerForAPayloadOutsideTheCatalogueFails() {
        List<TaskHandler<?>> handlers = List.of(noop, sleep, fail, email, new StrayHandler());

        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> HandlerRegistry.build(CATALOGUE, handlers, config(true, "all")));

        assertTrue(e.getMessage().contains(StrayHandler.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(NotInTheCatalogue.class.getName()), e.getMessage());
    }

    @ParameterizedTest(name = "types \"{0}\"")
    @ValueSource(strings = {"send-email", "Noop", "email", "all"})
    void anUnknownTypeNameFailsListingTheKnownTypes(String unknown) {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> HandlerRegistry.build(CATALOGUE, allHandlers, config(true, "noop", unknown)));

        assertTrue(e.getMessage().contains("'" + unknown.trim() + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("[fail, noop, send_email, sleep]"), e.getMessage());
        assertFalse(e.getMessage().contains("CONVEYOR_DIAGNOSTICS"), e.getMessage());
    }

    @Test
    void withoutDiagnosticsAllRoutesOnlySendEmail() {
        Map<String, Route> routes = HandlerRegistry.build(CATALOGUE, allHandlers, config(false, "all"));

        assertEquals(List.of("send_email"), List.copyOf(routes.keySet()));
        assertSame(email, routes.get("send_email").handler());
    }

    @ParameterizedTest(name = "types \"{0}\"")
    @ValueSource(strings = {"noop", "sleep", "fail"})
    void withoutDiagnosticsNamingADiagnosticTypeFailsMentioningTheSwitch(String diagnosticType) {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> HandlerRegistry.build(CATALOGUE, allHandlers, config(false, "send_email", diagnosticType)));

        assertTrue(e.getMessage().contains("'" + diagnosticType + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("CONVEYOR_DIAGNOSTICS=false"), e.getMessage());
        assertTrue(e.getMessage().contains("[send_email]"), e.getMessage());
    }

    @Test
    void aWorkerThatWouldConsumeNothingFails() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> HandlerRegistry.build(CATALOGUE, allHandlers, config(true, " ")));

        assertTrue(e.getMessage().contains("no task type"), e.getMessage());
    }

    @Test
    void aConfiguredTimeoutOverridesTheCatalogues() {
        Map<String, HandlerRegistry.Route> routes = HandlerRegistry.build(
                CATALOGUE, allHandlers, new TestConfig(List.of("all"), true, Map.of("sleep", Duration.ofSeconds(2))));
        assertEquals(Duration.ofSeconds(2), routes.get("sleep").timeout());
        assertEquals(Duration.ofSeconds(5), routes.get("noop").timeout());
    }

    @Test
    void aTimeoutForAnUnknownTypeStopsTheWorker() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> HandlerRegistry.build(
                        CATALOGUE,
                        allHandlers,
                        new TestConfig(List.of("all"), true, Map.of("slep", Duration.ofSeconds(2)))));
        assertTrue(e.getMessage().contains("slep"), e.getMessage());
    }

    /** The real image handler, which declares itself CPU-bound, with the blocking ones. */
    private static final TaskCatalogue WITH_IMAGES = TaskCatalogue.of(List.of(
            FailPayload.class,
            NoopPayload.class,
            SendEmailPayload.class,
            SleepPayload.class,
            ResizeImagePayload.class));

    private final ResizeImageHandler resize = new ResizeImageHandler(null, null, new FetchConfig() {
        @Override
        public boolean allowPrivate() {
            return false;
        }

        @Override
        public long maxBytes() {
            return 1024;
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(1);
        }
    });

    private Map<String, Route> withImages(boolean virtualThreads, Map<String, ThreadKind> threads) {
        return HandlerRegistry.build(
                WITH_IMAGES,
                List.of(noop, sleep, fail, email, resize),
                new TestConfig(List.of("all"), true, Map.of(), virtualThreads, threads));
    }

    @Test
    void blockingHandlersRunOnVirtualThreadsAndTheImageHandlerOnPlatformThreads() {
        Map<String, Route> routes = withImages(true, Map.of());

        assertEquals(ThreadKind.PLATFORM, routes.get("resize_image").threads());
        for (String blocking : List.of("fail", "noop", "send_email", "sleep")) {
            assertEquals(ThreadKind.VIRTUAL, routes.get(blocking).threads(), blocking);
        }
    }

    @Test
    void aConfiguredThreadKindOverridesTheHandlersWorkload() {
        Map<String, Route> routes =
                withImages(true, Map.of("resize_image", ThreadKind.VIRTUAL, "send_email", ThreadKind.PLATFORM));

        assertEquals(ThreadKind.VIRTUAL, routes.get("resize_image").threads());
        assertEquals(ThreadKind.PLATFORM, routes.get("send_email").threads());
        assertEquals(ThreadKind.VIRTUAL, routes.get("sleep").threads());
    }

    @Test
    void withVirtualThreadsOffEveryTypeRunsOnPlatformThreadsOverridesIncluded() {
        Map<String, Route> routes = withImages(false, Map.of("resize_image", ThreadKind.VIRTUAL));

        routes.forEach((name, route) -> assertEquals(ThreadKind.PLATFORM, route.threads(), name));
    }

    @Test
    void aThreadKindForAnUnknownTypeStopsTheWorker() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> withImages(true, Map.of("resize-image", ThreadKind.VIRTUAL)));

        assertTrue(e.getMessage().contains("conveyor.worker.threads names 'resize-image'"), e.getMessage());
    }
}
