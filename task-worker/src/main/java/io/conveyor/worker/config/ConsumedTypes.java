package io.conveyor.worker.config;

import java.util.List;

/**
 * How {@code CONVEYOR_WORKER_TYPES} reads: {@code all} alone, or a list of type names (blanks and repeats ignored).
 * The registry builds its routes from it, and the startup check asks it whether this worker runs a type.
 */
public final class ConsumedTypes {

    private ConsumedTypes() {}

    /** {@code all}: every type of the catalogue. */
    public static boolean isAll(List<String> wanted) {
        return wanted.size() == 1 && "all".equalsIgnoreCase(wanted.get(0).trim());
    }

    /** The names given, trimmed, without blanks and repeats, in order. */
    public static List<String> named(List<String> wanted) {
        return wanted.stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
    }

    /** Whether a worker configured with {@code wanted} consumes {@code type}. */
    public static boolean includes(List<String> wanted, String type) {
        return isAll(wanted) || named(wanted).contains(type);
    }
}
