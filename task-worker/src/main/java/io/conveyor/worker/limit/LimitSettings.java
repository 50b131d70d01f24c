package io.conveyor.worker.limit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.conveyor.config.ConfigLimits;

/**
 * Reads the per-type limits from their two spellings: map keys ({@code conveyor.worker.rate.send_email=5/s} in
 * application.properties or as a JVM option) and environment variables named after each type of the catalogue
 * ({@code CONVEYOR_WORKER_RATE_SEND_EMAIL=5/s}, {@code CONVEYOR_WORKER_MAX_RUNNING_SEND_EMAIL=2}). The second are
 * looked up by their exact names: SmallRye Config cannot tell which underscores of such a variable belong to the map
 * key (it reads {@code send.email}, or drops the variable). A limit of a type that is unknown or not consumed by this
 * worker, a value that does not read, or one type given two different values stops the worker, naming each setting.
 * Pure.
 */
final class LimitSettings {

    static final String RATE_KEY = "conveyor.worker.rate";
    static final String RUNNING_KEY = "conveyor.worker.max-running";
    static final String RATE_VARIABLE = "CONVEYOR_WORKER_RATE_";
    static final String RUNNING_VARIABLE = "CONVEYOR_WORKER_MAX_RUNNING_";
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

    private LimitSettings() {}

    /** One value of one type, and the setting it came from. */
    private record Setting(String name, String type, String value) {}

    /**
     * The limited types and their limits; throws {@link IllegalArgumentException} listing every broken setting.
     *
     * @param rates      the map {@code conveyor.worker.rate}
     * @param running    the map {@code conveyor.worker.max-running}
     * @param lookup     reads a setting by name (the environment variables, by their exact names)
     * @param names      the environment variables' names (to catch one that names no type)
     * @param known      the catalogue's types
     * @param consumed   the types this worker consumes
     */
    static Map<String, TypeLimit> read(
            Map<String, String> rates,
            Map<String, String> running,
            Function<String, Optional<String>> lookup,
            Iterable<String> names,
            Collection<String> known,
            Collection<String> consumed) {
        List<String> broken = new ArrayList<>();
        Map<String, Setting> rateOf = settings(RATE_KEY, RATE_VARIABLE, rates, lookup, names, known, broken);
        Map<String, Setting> runningOf = settings(RUNNING_KEY, RUNNING_VARIABLE, running, lookup, names, known, broken);
        Map<String, TypeLimit> limits = new TreeMap<>();
        for (String type : union(rateOf.keySet(), runningOf.keySet())) {
            Setting rateSetting = rateOf.get(type);
            Setting runningSetting = runningOf.get(type);
            if (!consumed.contains(type)) {
                Setting any = rateSetting != null ? rateSetting : runningSetting;
                broken.add(any.name() + " limits '" + type + "', which this worker does not consume (it consumes "
                        + String.join(", ", consumed) + "; CONVEYOR_WORKER_TYPES)");
                continue;
            }
            TaskRate rate = null;
            if (rateSetting != null) {
                try {
                    rate = TaskRate.parse(rateSetting.value());
                } catch (IllegalArgumentException e) {
                    broken.add(rateSetting.name() + ": " + e.getMessage());
                }
            }
            int most = 0;
            if (runningSetting != null) {
                String value = runningSetting.value().strip();
                if (WHOLE_NUMBER.matcher(value).matches() && Integer.parseInt(value) >= 1) {
                    most = Integer.parseInt(value);
                } else {
                    broken.add(runningSetting.name() + " must be a whole number of at least 1, was '"
                            + runningSetting.value() + "'");
                }
            }
            if (rate != null || most > 0) {
                limits.put(type, new TypeLimit(type, rate, most));
            }
        }
        ConfigLimits.refuseAny(broken);
        return limits;
    }

    /** Each limited type's setting of one kind, from both spellings; conflicts and unknown types go to broken. */
    private static Map<String, Setting> settings(
            String key,
            String variable,
            Map<String, String> map,
            Function<String, Optional<String>> lookup,
            Iterable<String> names,
            Collection<String> known,
            List<String> broken) {
        List<Setting> found = new ArrayList<>();
        // The variables first: a message about a type then names the variable the operator set.
        for (String type : known) {
            String name = variable + type.toUpperCase(Locale.ROOT);
            lookup.apply(name).ifPresent(value -> found.add(new Setting(name, type, value)));
        }
        // SmallRye turns CONVEYOR_WORKER_RATE_SEND_EMAIL into the key send.email: the same setting as above.
        map.forEach((name, value) -> found.add(new Setting(key + "." + name, name.replace('.', '_'), value)));
        for (String name : names) {
            String type = name.startsWith(variable)
                    ? name.substring(variable.length()).toLowerCase(Locale.ROOT)
                    : null;
            // One that SmallRye put into the map is refused below, under its key.
            if (type != null
                    && !known.contains(type)
                    && found.stream().noneMatch(f -> f.type().equals(type))) {
                broken.add(name + " names no task type; known: " + String.join(", ", known));
            }
        }
        Map<String, Setting> byType = new TreeMap<>();
        for (Setting setting : found) {
            if (!known.contains(setting.type())) {
                broken.add(setting.name() + " names '" + setting.type() + "', which is not a task type; known: "
                        + String.join(", ", known));
                continue;
            }
            Setting before = byType.putIfAbsent(setting.type(), setting);
            if (before != null && !before.value().strip().equals(setting.value().strip())) {
                broken.add(before.name() + " and " + setting.name() + " disagree about '" + setting.type() + "': '"
                        + before.value() + "' against '" + setting.value() + "'");
            }
        }
        return byType;
    }

    private static Collection<String> union(Collection<String> a, Collection<String> b) {
        TreeMap<String, Boolean> all = new TreeMap<>();
        a.forEach(t -> all.put(t, true));
        b.forEach(t -> all.put(t, true));
        return all.keySet();
    }
}
