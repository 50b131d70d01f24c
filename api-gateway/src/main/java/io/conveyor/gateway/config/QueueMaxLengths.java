package io.conveyor.gateway.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;

import io.conveyor.config.ConfigLimits;
import io.conveyor.model.TaskCatalogue;

/**
 * The most messages each task type's queue may hold: {@code CONVEYOR_QUEUE_MAX_LENGTH} for every type, except those
 * {@code CONVEYOR_QUEUE_MAX_LENGTHS} overrides ({@code send_email=10000,resize_image=500}). An override naming a type
 * this gateway does not offer, or a limit that is not a whole number of at least 1, stops the gateway at startup
 * ({@link ConfigCheck}), naming the variable. Not a {@code ConfigLimits} annotation: the check needs the catalogue.
 */
@Singleton
public class QueueMaxLengths {

    static final String KEY = "conveyor.queue-limits.max-lengths";
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,18}");

    private final Map<String, Long> byType;

    @Inject
    public QueueMaxLengths(GatewayConfig config, TaskCatalogue catalogue, Config raw) {
        this(check(config, catalogue, raw));
    }

    QueueMaxLengths(Map<String, Long> byType) {
        this.byType = Collections.unmodifiableMap(new TreeMap<>(byType));
    }

    /** The limit of a type of this gateway's catalogue. */
    public long of(String type) {
        Long limit = byType.get(type);
        if (limit == null) {
            throw new IllegalArgumentException("Not a task type of this gateway: " + type);
        }
        return limit;
    }

    /** Every type's limit, by type name. */
    public Map<String, Long> all() {
        return byType;
    }

    /** The limits the settings give this catalogue; throws {@link IllegalArgumentException} on an invalid override. */
    static Map<String, Long> check(GatewayConfig config, TaskCatalogue catalogue, Config raw) {
        GatewayConfig.QueueLimits limits = config.queueLimits();
        String setting = KEY + " (" + ConfigLimits.variableOf(raw, KEY) + ")";
        return parse(limits.maxLength(), limits.maxLengths().orElse(""), catalogue.names(), setting);
    }

    /**
     * {@code fallback} for each of {@code types}, less the overrides: comma-separated {@code type=limit} entries,
     * blanks around them ignored. Every broken entry is named in one {@link IllegalArgumentException}, which starts
     * with {@code setting}.
     */
    public static Map<String, Long> parse(long fallback, String overrides, Collection<String> types, String setting) {
        Map<String, Long> limits = new TreeMap<>();
        types.forEach(type -> limits.put(type, fallback));
        Set<String> seen = new HashSet<>();
        List<String> broken = new ArrayList<>();
        for (String entry : overrides.split(",")) {
            String item = entry.strip();
            if (item.isEmpty()) {
                continue;
            }
            int equals = item.indexOf('=');
            if (equals < 0) {
                broken.add("'" + item + "' is not type=limit");
                continue;
            }
            String type = item.substring(0, equals).strip();
            String value = item.substring(equals + 1).strip();
            if (!limits.containsKey(type)) {
                broken.add(
                        "'" + type + "' is not a task type of this gateway (known: " + String.join(", ", types) + ")");
            } else if (!seen.add(type)) {
                broken.add("'" + type + "' is given twice");
            } else if (!WHOLE_NUMBER.matcher(value).matches() || Long.parseLong(value) < 1) {
                broken.add("the limit of '" + type + "' must be a whole number of at least 1, was '" + value + "'");
            } else {
                limits.put(type, Long.parseLong(value));
            }
        }
        if (!broken.isEmpty()) {
            ConfigLimits.refuseAny(List.of(setting + ": " + String.join("; ", broken)));
        }
        return limits;
    }
}
