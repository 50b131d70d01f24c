package io.conveyor.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.IndexReader;

/**
 * The catalogue of task types: name → payload record → defaults. Built from every
 * {@code META-INF/jandex.idx} on the class path, so a jar of extra payload records joins it by being there.
 */
public final class TaskCatalogue {

    private static final DotName DEFINITION = DotName.createSimple(TaskDefinition.class.getName());

    private final Map<String, TaskType> types;

    private TaskCatalogue(Map<String, TaskType> types) {
        this.types = Collections.unmodifiableMap(types);
    }

    /** The catalogue of every indexed {@link TaskDefinition} visible to this class's loader. */
    public static TaskCatalogue load() {
        ClassLoader loader = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                .orElse(TaskCatalogue.class.getClassLoader());
        List<Class<? extends Record>> records = new ArrayList<>();
        try {
            Enumeration<URL> indexes = loader.getResources("META-INF/jandex.idx");
            while (indexes.hasMoreElements()) {
                for (AnnotationInstance found : read(indexes.nextElement()).getAnnotations(DEFINITION)) {
                    records.add(
                            loadRecord(loader, found.target().asClass().name().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Jandex index of the task catalogue", e);
        }
        if (records.isEmpty()) {
            throw new IllegalStateException(
                    "No @TaskDefinition found: is common-model's META-INF/jandex.idx on the class path?");
        }
        return of(records);
    }

    /** A catalogue of exactly these payload records; a duplicate name is refused. */
    public static TaskCatalogue of(Collection<Class<? extends Record>> payloadClasses) {
        Map<String, TaskType> byName = new TreeMap<>();
        for (Class<? extends Record> payloadClass : payloadClasses) {
            TaskType type = TaskType.of(payloadClass);
            TaskType previous = byName.putIfAbsent(type.name(), type);
            if (previous != null && previous.payloadClass() != payloadClass) {
                throw new IllegalStateException("Task type '" + type.name() + "' is defined twice: by "
                        + previous.payloadClass().getName() + " and " + payloadClass.getName());
            }
        }
        return new TaskCatalogue(byName);
    }

    public Optional<TaskType> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(types.get(name));
    }

    public Optional<TaskType> forPayload(Class<?> payloadClass) {
        return types.values().stream()
                .filter(t -> t.payloadClass() == payloadClass)
                .findFirst();
    }

    /** Every type, sorted by name. */
    public Collection<TaskType> all() {
        return types.values();
    }

    public Collection<String> names() {
        return types.keySet();
    }

    /** This catalogue less the diagnostic types when {@code diagnostics} is false. */
    public TaskCatalogue withDiagnostics(boolean diagnostics) {
        return diagnostics ? this : filter(t -> !t.diagnostic());
    }

    public TaskCatalogue filter(Predicate<TaskType> keep) {
        Map<String, TaskType> kept = new LinkedHashMap<>();
        types.values().stream().filter(keep).forEach(t -> kept.put(t.name(), t));
        return new TaskCatalogue(kept);
    }

    private static Index read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return new IndexReader(in).read();
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Record> loadRecord(ClassLoader loader, String className) {
        try {
            Class<?> found = Class.forName(className, false, loader);
            if (!found.isRecord()) {
                throw new IllegalStateException("@TaskDefinition on " + className + ": payloads must be records");
            }
            return (Class<? extends Record>) found;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Indexed payload " + className + " is not on the class path", e);
        }
    }
}
