package io.conveyor.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The connection settings of a deployment that a {@code ${VARIABLE}} expression in application.properties cannot
 * derive: secrets read from files (the way Kubernetes and compose mount them) and Redis Sentinel endpoints.
 *
 * <ul>
 *   <li>{@code RABBITMQ_USERNAME_FILE}, {@code RABBITMQ_PASSWORD_FILE}: the broker's credentials, the file's
 *       first line; they win over {@code RABBITMQ_USERNAME} and {@code RABBITMQ_PASSWORD}.
 *   <li>{@code REDIS_PASSWORD_FILE}: Redis's password, the file's first line; wins over {@code REDIS_PASSWORD}.
 *   <li>{@code REDIS_SENTINELS}: {@code host:port} (or {@code redis://} URLs) of the sentinels, separated by
 *       commas; the Redis client then asks them for the master of {@code REDIS_MASTER_NAME} ({@code conveyor})
 *       and follows a failover. Set, it replaces {@code REDIS_URL}.
 * </ul>
 *
 * <p>Registered as a service in both apps; its ordinal puts it above application.properties (250) and below the
 * environment (300), so that {@code QUARKUS_REDIS_HOSTS} or {@code CONVEYOR_BROKER_PASSWORD} still override it.
 */
public final class ConnectionEnvironment implements ConfigSource {

    static final int ORDINAL = 275;
    static final String DEFAULT_MASTER_NAME = "conveyor";

    private final Map<String, String> properties;

    public ConnectionEnvironment() {
        this(System::getenv);
    }

    ConnectionEnvironment(UnaryOperator<String> environment) {
        Map<String, String> derived = new HashMap<>();
        fromFile(environment, "RABBITMQ_USERNAME_FILE", "conveyor.broker.username", derived);
        fromFile(environment, "RABBITMQ_PASSWORD_FILE", "conveyor.broker.password", derived);
        fromFile(environment, "REDIS_PASSWORD_FILE", "quarkus.redis.password", derived);
        String sentinels = environment.apply("REDIS_SENTINELS");
        if (sentinels != null && !sentinels.isBlank()) {
            derived.put("quarkus.redis.client-type", "sentinel");
            derived.put("quarkus.redis.hosts", sentinelUrls(sentinels));
            String master = environment.apply("REDIS_MASTER_NAME");
            derived.put("quarkus.redis.master-name", master == null || master.isBlank() ? DEFAULT_MASTER_NAME : master);
            derived.put("quarkus.redis.role", "master");
        }
        this.properties = Collections.unmodifiableMap(derived);
    }

    private static void fromFile(
            UnaryOperator<String> environment, String variable, String key, Map<String, String> into) {
        String file = environment.apply(variable);
        if (file == null || file.isBlank()) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            String value = lines.isEmpty() ? "" : lines.get(0).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException(variable + " names " + file + ", whose first line is empty");
            }
            into.put(key, value);
        } catch (IOException e) {
            throw new IllegalArgumentException(variable + " names " + file + ", which cannot be read: " + e, e);
        }
    }

    /** {@code a:26379,b:26379} as the Redis client's URLs; a URL is kept as given. */
    static String sentinelUrls(String sentinels) {
        List<String> urls = new ArrayList<>();
        for (String raw : sentinels.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.startsWith("redis://") || entry.startsWith("rediss://")) {
                urls.add(entry);
            } else if (entry.contains("/") || entry.contains("@")) {
                throw new IllegalArgumentException(
                        "REDIS_SENTINELS: '" + entry + "' is neither host:port nor a redis:// URL");
            } else {
                urls.add("redis://" + (entry.contains(":") ? entry : entry + ":26379"));
            }
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("REDIS_SENTINELS names no sentinel: '" + sentinels + "'");
        }
        return String.join(",", urls);
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "Conveyor connection environment (RABBITMQ_*_FILE, REDIS_PASSWORD_FILE, REDIS_SENTINELS)";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
