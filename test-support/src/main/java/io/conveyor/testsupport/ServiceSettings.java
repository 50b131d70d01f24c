package io.conveyor.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the tests' services are, by the names the apps read: a system property first (set by {@link TestServices}
 * when it started containers for the run, and read by the apps under test through Quarkus' configuration the same
 * way), the environment second, then the default.
 */
public final class ServiceSettings {

    /** The settings that say where the services are, as the apps read them. */
    public static final List<String> NAMES = List.of(
            "RABBITMQ_HOST",
            "RABBITMQ_PORT",
            "RABBITMQ_USERNAME",
            "RABBITMQ_PASSWORD",
            "RABBITMQ_VHOST",
            "RABBITMQ_MANAGEMENT_URL",
            "REDIS_URL");

    private ServiceSettings() {}

    /**
     * The settings of {@link #NAMES} that are set (system property or environment), for the environment of an app
     * the tests start as a process of its own: it must reach the services the tests resolved, containers included.
     */
    public static Map<String, String> forProcess() {
        Map<String, String> env = new LinkedHashMap<>();
        NAMES.forEach(name -> {
            String value = get(name, null);
            if (value != null) {
                env.put(name, value);
            }
        });
        return env;
    }

    /** {@code name} as a system property, else as an environment variable; {@code fallback} when neither is set. */
    public static String get(String name, String fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Whether {@code name} is set, as a system property or in the environment. */
    public static boolean isSet(String name) {
        return get(name, null) != null;
    }
}
