package io.conveyor.testsupport;

/**
 * Where the tests' services are, by the names the apps read: a system property first (set by {@link TestServices}
 * when it started containers for the run, and read by the apps under test through Quarkus' configuration the same
 * way), the environment second, then the default.
 */
public final class ServiceSettings {

    private ServiceSettings() {}

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
