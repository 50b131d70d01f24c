package io.conveyor.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml read the way Compose v2 (compose-go) reads it: YAML with its anchors and merge keys ({@code <<})
 * resolved, then every string value interpolated ({@code $$}, {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}},
 * {@code ${VAR-default}}, {@code ${VAR:?error}}, {@code ${VAR?error}}, {@code ${VAR:+other}}, {@code ${VAR+other}}),
 * before the schema sees it.
 */
final class ComposeFile {

    /** The repository root: tests run in common-model, one level below it. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern EXPRESSION =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?", Pattern.DOTALL);
    private static final Pattern ENV_LINE = Pattern.compile("#?\\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)");

    /** A {@code ${VAR:?message}} or {@code ${VAR?message}} whose variable is missing: Compose refuses the file. */
    static final class MissingVariableException extends RuntimeException {
        final String variable;

        MissingVariableException(String variable, String message) {
            super("required variable " + variable + " is missing a value: " + message);
            this.variable = variable;
        }
    }

    private ComposeFile() {}

    static String read(String file) {
        try {
            return Files.readString(ROOT.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The YAML tree, with every map and list copied so that no two services share one through an alias. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String yaml) {
        return (Map<String, Object>) copy(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml));
    }

    /** A deep copy of a YAML tree. */
    @SuppressWarnings("unchecked")
    static Object copy(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), copy(v)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(copy(v)));
            return copy;
        }
        return node;
    }

    /** The {@code KEY=value} lines of an env file; comments and blank lines are skipped. */
    static Map<String, String> envFile(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.lines().map(String::strip).toList()) {
            Matcher m = ENV_LINE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                values.put(m.group(1), m.group(2));
            }
        }
        return values;
    }

    /** The names an env file documents: its {@code KEY=value} lines, commented out ({@code #KEY=value}) or not. */
    static Set<String> documented(String text) {
        Set<String> names = new LinkedHashSet<>();
        text.lines()
                .map(String::strip)
                .map(ENV_LINE::matcher)
                .filter(Matcher::matches)
                .forEach(m -> names.add(m.group(1)));
        return names;
    }

    /** The tree with every string interpolated from {@code env} (a variable absent from it is unset). */
    static Map<String, Object> interpolate(Map<String, Object> tree, Map<String, String> env) {
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) interpolate((Object) tree, env::get);
        return result;
    }

    /** Every variable the tree's strings refer to. */
    static Set<String> variables(Map<String, Object> tree) {
        Set<String> names = new LinkedHashSet<>();
        interpolate(tree, name -> {
            names.add(name);
            return "x";
        });
        return names;
    }

    private static Object interpolate(Object node, Function<String, String> env) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> result.put(String.valueOf(k), interpolate(v, env)));
            return result;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(v -> interpolate(v, env)).toList();
        }
        return node instanceof String s ? interpolate(s, env) : node;
    }

    static String interpolate(String text, Function<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (c == '$' && next == '$') {
                out.append('$');
                i += 2;
            } else if (c == '$' && next == '{') {
                int end = closingBrace(text, i + 2);
                out.append(substitute(text.substring(i + 2, end), env));
                i = end + 1;
            } else if (c == '$'
                    && NAME.matcher(text).region(i + 1, text.length()).lookingAt()) {
                Matcher m = NAME.matcher(text).region(i + 1, text.length());
                m.lookingAt();
                String value = env.apply(m.group());
                out.append(value == null ? "" : value);
                i = m.end();
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int closingBrace(String text, int from) {
        int depth = 0;
        for (int j = from; j < text.length(); j++) {
            if (text.startsWith("${", j)) {
                depth++;
                j++;
            } else if (text.charAt(j) == '}' && depth-- == 0) {
                return j;
            }
        }
        throw new IllegalArgumentException("Unclosed ${ in: " + text);
    }

    private static String substitute(String expression, Function<String, String> env) {
        Matcher m = EXPRESSION.matcher(expression);
        if (!m.matches()) {
            throw new IllegalArgumentException("Invalid interpolation: ${" + expression + "}");
        }
        String name = m.group(1);
        String value = env.apply(name);
        boolean set = value != null;
        boolean nonEmpty = set && !value.isEmpty();
        String operator = m.group(2);
        if (operator == null) {
            return set ? value : "";
        }
        String argument = m.group(3);
        return switch (operator) {
            case ":-" -> nonEmpty ? value : interpolate(argument, env);
            case "-" -> set ? value : interpolate(argument, env);
            case ":+" -> nonEmpty ? interpolate(argument, env) : "";
            case "+" -> set ? interpolate(argument, env) : "";
            default -> {
                if (operator.equals(":?") ? !nonEmpty : !set) {
                    throw new MissingVariableException(name, interpolate(argument, env));
                }
                yield value;
            }
        };
    }
}
