package io.conveyor.worker.route;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskType;
import io.conveyor.worker.config.ConsumedTypes;
import io.conveyor.worker.config.ThreadKind;
import io.conveyor.worker.config.WorkerConfig;
import io.conveyor.worker.handler.TaskHandler;
import io.conveyor.worker.handler.Workload;

/**
 * Maps each consumed task type to its handler bean, checked at startup: a handler whose payload is not in the
 * catalogue, two handlers for one type, a consumed type without a handler, or an unknown name in
 * {@code CONVEYOR_WORKER_TYPES} each stop the worker with a message saying which. Each route also says the kind of
 * thread its handler runs on: the handler's {@link Workload} decides, unless the configuration overrides it.
 */
@ApplicationScoped
public class HandlerRegistry {

    /** The types this worker consumes, with their handlers. */
    private final Map<String, Route> routes;

    private final TaskCatalogue catalogue;

    /** A consumed type, the bean that runs it, how long one attempt may take and the kind of thread it runs on. */
    public record Route(TaskType type, TaskHandler<Record> handler, Duration timeout, ThreadKind threads) {}

    public HandlerRegistry(TaskCatalogue catalogue, @Any Instance<TaskHandler<?>> handlers, WorkerConfig config) {
        this.catalogue = catalogue;
        this.routes = build(catalogue, handlers, config);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Route> build(
            TaskCatalogue catalogue, Iterable<? extends TaskHandler<?>> handlers, WorkerConfig config) {
        TaskCatalogue enabled = catalogue.withDiagnostics(config.diagnostics());
        Map<String, TaskHandler<Record>> byType = new TreeMap<>();
        for (TaskHandler<?> handler : handlers) {
            String handlerClass = className(handler);
            TaskType type = catalogue
                    .forPayload(handler.payloadType())
                    .orElseThrow(() -> new IllegalStateException("Handler " + handlerClass + " accepts "
                            + handler.payloadType().getName() + ", which is not a @TaskDefinition in the catalogue"));
            TaskHandler<Record> previous = byType.putIfAbsent(type.name(), (TaskHandler<Record>) handler);
            if (previous != null) {
                throw new IllegalStateException("Task type '" + type.name() + "' has two handlers: "
                        + className(previous) + " and " + handlerClass);
            }
        }
        List<String> wanted = config.worker().types();
        boolean all = ConsumedTypes.isAll(wanted);
        Map<String, Route> routes = new TreeMap<>();
        requireTypes(
                catalogue,
                "conveyor.worker.timeouts",
                config.worker().timeouts().keySet());
        requireTypes(
                catalogue, "conveyor.worker.threads", config.worker().threads().keySet());
        for (String name : all ? enabled.names() : ConsumedTypes.named(wanted)) {
            TaskType type = enabled.find(name)
                    .orElseThrow(() -> new IllegalStateException("CONVEYOR_WORKER_TYPES names '" + name
                            + "', which is not a task type here; known: " + enabled.names()
                            + (config.diagnostics() ? "" : " (diagnostic types are off: CONVEYOR_DIAGNOSTICS=false)")));
            TaskHandler<Record> handler = byType.get(name);
            if (handler == null) {
                throw new IllegalStateException("Task type '" + name + "' has no handler bean (a TaskHandler<"
                        + type.payloadClass().getSimpleName()
                        + ">); add one or leave the type out of CONVEYOR_WORKER_TYPES");
            }
            Duration timeout = config.worker().timeouts().getOrDefault(name, type.timeout());
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalStateException(
                        "conveyor.worker.timeouts." + name + " must be positive, got " + timeout);
            }
            routes.put(name, new Route(type, handler, timeout, threads(name, handler, config.worker())));
        }
        if (routes.isEmpty()) {
            throw new IllegalStateException("This worker would consume no task type");
        }
        return routes;
    }

    /**
     * Virtual threads for blocking handlers, platform threads for CPU-bound ones, unless the type's override says
     * otherwise; platform threads for all when virtual threads are off, overrides included, so the switch alone
     * takes them out of a worker.
     */
    static ThreadKind threads(String type, TaskHandler<?> handler, WorkerConfig.Worker config) {
        if (!config.virtualThreads()) {
            return ThreadKind.PLATFORM;
        }
        ThreadKind declared = handler.workload() == Workload.CPU_BOUND ? ThreadKind.PLATFORM : ThreadKind.VIRTUAL;
        return config.threads().getOrDefault(type, declared);
    }

    private static void requireTypes(TaskCatalogue catalogue, String key, Collection<String> types) {
        for (String name : types) {
            if (catalogue.find(name).isEmpty()) {
                throw new IllegalStateException(
                        key + " names '" + name + "', which is not a task type; known: " + catalogue.names());
            }
        }
    }

    public Optional<Route> route(String type) {
        return Optional.ofNullable(routes.get(type));
    }

    public Collection<Route> routes() {
        return routes.values();
    }

    /** Every type in the catalogue, consumed here or not: the topology declares them all. */
    public Collection<String> allTypes() {
        return catalogue.names();
    }

    private static String className(Object bean) {
        // Client proxies are subclasses; name the class a developer wrote.
        Class<?> c = bean.getClass();
        return c.getName().contains("_ClientProxy") || c.getName().contains("_Subclass")
                ? c.getSuperclass().getName()
                : c.getName();
    }
}
