package io.conveyor.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;

import io.smallrye.config.WithName;

/**
 * Checks the limits a configuration mapping declares with {@link AtLeast}, {@link AtMost} and {@link NoShorterThan}
 * on its methods, nested groups included, and names each broken one by its key and environment variable.
 *
 * <p>Why not Bean Validation constraints on the mapping: with any constraint on a mapping, Quarkus bootstraps a
 * validator for the configuration at startup, which cost the worker ~0.35 s of its ~1.5 s start (docs/adr/0012). This
 * walk costs a few reflective calls.
 */
public final class ConfigLimits {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)");

    private ConfigLimits() {}

    /**
     * Throws {@link IllegalArgumentException} listing every limit {@code mapping} breaks, each key with the
     * environment variable {@code config} reads it from; returns otherwise.
     */
    public static void check(Config config, String prefix, Class<?> type, Object mapping) {
        refuseAny(violations(prefix, type, mapping, key -> variableOf(config, key)));
    }

    /** Throws {@link IllegalArgumentException} with every message of {@code broken}, unless it is empty. */
    public static void refuseAny(List<String> broken) {
        if (!broken.isEmpty()) {
            throw new IllegalArgumentException("Invalid configuration: " + String.join("; ", broken));
        }
    }

    /** One message per broken limit, in key order; empty when all hold. */
    public static List<String> violations(
            String prefix, Class<?> type, Object mapping, Function<String, String> variableOf) {
        List<String> broken = new ArrayList<>();
        walk(prefix, type, mapping, variableOf, broken);
        return broken;
    }

    /**
     * The environment variable a key is read from: the one its property expression names
     * ({@code conveyor.state.max-wait=${CONVEYOR_MAX_WAIT:PT60S}}), else the one SmallRye Config derives from the key.
     */
    public static String variableOf(Config config, String key) {
        String raw = config.getConfigValue(key).getRawValue();
        Matcher expression = raw == null ? null : VARIABLE.matcher(raw);
        return expression != null && expression.find() ? expression.group(1) : environmentVariable(key);
    }

    private static void walk(
            String prefix, Class<?> type, Object mapping, Function<String, String> variableOf, List<String> broken) {
        Method[] methods = type.getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method method : methods) {
            if (method.getParameterCount() > 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String key = prefix + "." + keyOf(method);
            Object value = unwrap(invoke(method, mapping));
            if (value == null) {
                continue;
            }
            if (isGroup(method.getReturnType())) {
                walk(key, method.getReturnType(), value, variableOf, broken);
            } else {
                checkValue(key, variableOf.apply(key), method, value, broken);
            }
        }
    }

    private static void checkValue(String key, String variable, Method method, Object value, List<String> broken) {
        AtLeast least = method.getAnnotation(AtLeast.class);
        AtMost most = method.getAnnotation(AtMost.class);
        NoShorterThan shortest = method.getAnnotation(NoShorterThan.class);
        if (value instanceof Number number) {
            long n = number.longValue();
            if (least != null && n < least.value()) {
                broken.add(describe(key, variable, "must be at least " + least.value(), value));
            }
            if (most != null && n > most.value()) {
                broken.add(describe(key, variable, "must be at most " + most.value(), value));
            }
        }
        if (value instanceof Duration duration && shortest != null) {
            Duration min = Duration.parse(shortest.value());
            if (duration.compareTo(min) < 0) {
                broken.add(describe(key, variable, "must be at least " + min, value));
            }
        }
    }

    private static String describe(String key, String variable, String rule, Object value) {
        return key + " (" + variable + ") " + rule + ", was " + value;
    }

    /** The environment variable SmallRye Config reads for {@code key}, e.g. {@code CONVEYOR_WORKER_CONCURRENCY}. */
    public static String environmentVariable(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static String keyOf(Method method) {
        WithName name = method.getAnnotation(WithName.class);
        if (name != null) {
            return name.value();
        }
        return method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** A nested configuration group: an interface of our own, not a value type such as Optional or Map. */
    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && !type.getName().startsWith("java.");
    }

    private static Object unwrap(Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.orElse(null);
        }
        if (value instanceof OptionalInt optional) {
            return optional.isPresent() ? optional.getAsInt() : null;
        }
        if (value instanceof OptionalLong optional) {
            return optional.isPresent() ? optional.getAsLong() : null;
        }
        return value;
    }

    private static Object invoke(Method method, Object mapping) {
        try {
            method.setAccessible(true);
            return method.invoke(mapping);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Cannot read configuration " + method, e);
        }
    }
}
