package io.conveyor.model.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.Config;

/**
 * The queries a deployment allows {@code db_query} (and {@code generate_report}) to run, by name. A request names one
 * and gives its parameters; it can never send SQL. The gateway reads the same definitions as the workers, to refuse
 * an unknown name or a wrong parameter before a task is accepted. Defined in either of two ways, which may be mixed:
 *
 * <ul>
 *   <li>a directory of {@code <name>.sql} files ({@code conveyor-handlers.queries-dir}, {@code CONVEYOR_QUERIES_DIR}),
 *       each one statement whose leading comment lines describe it and declare its parameters:
 *       <pre>
 * -- Orders placed since a day, by status.
 * -- &#64;param since date
 * -- &#64;param status text
 * SELECT id, placed_at, total FROM orders WHERE placed_at &gt;= :since AND status = :status ORDER BY id</pre>
 *   <li>configuration properties: {@code conveyor-handlers.queries.<name>.sql}, {@code
 *       conveyor-handlers.queries.<name>.description} and {@code conveyor-handlers.queries.<name>.params.<param>=<type>}.
 * </ul>
 *
 * Parameter types are those of {@link ParameterType}: text, integer, numeric, boolean, date, timestamp. A definition
 * that does not hold (an undeclared or unused parameter, an unknown type, two statements, a name defined twice) stops
 * the application at startup with {@link IllegalStateException} naming it.
 */
public final class QueryCatalogue {

    public static final String DIR_PROPERTY = "conveyor-handlers.queries-dir";
    public static final String PREFIX = "conveyor-handlers.queries.";

    private static final Pattern PARAM = Pattern.compile("@param\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+([a-z]+)\\s*");
    private static final Pattern PROPERTY = Pattern.compile(
            Pattern.quote(PREFIX) + "(" + QueryDefinition.NAME_PATTERN + ")\\.(sql|description|params\\.(.+))");

    private final Map<String, QueryDefinition> queries;

    private QueryCatalogue(Map<String, QueryDefinition> queries) {
        this.queries = Map.copyOf(queries);
    }

    /** No queries: {@code db_query} refuses every request. */
    public static QueryCatalogue empty() {
        return new QueryCatalogue(Map.of());
    }

    public static QueryCatalogue of(Collection<QueryDefinition> definitions) {
        Map<String, QueryDefinition> byName = new TreeMap<>();
        for (QueryDefinition definition : definitions) {
            if (byName.putIfAbsent(definition.name(), definition) != null) {
                throw new IllegalStateException("query '" + definition.name() + "' is defined twice");
            }
        }
        return new QueryCatalogue(byName);
    }

    /** The queries the application's configuration defines (see the class comment). */
    public static QueryCatalogue fromConfig(Config config) {
        Optional<Path> dir = config.getOptionalValue(DIR_PROPERTY, String.class)
                .filter(s -> !s.isBlank())
                .map(Path::of);
        Map<String, String> properties = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                config.getOptionalValue(name, String.class).ifPresent(value -> properties.put(name, value));
            }
        }
        return load(dir, properties);
    }

    /** The queries of a directory of {@code .sql} files (when given) and of {@code conveyor-handlers.queries.*}. */
    public static QueryCatalogue load(Optional<Path> dir, Map<String, String> properties) {
        List<QueryDefinition> definitions = new ArrayList<>();
        dir.ifPresent(d -> definitions.addAll(fromDirectory(d)));
        definitions.addAll(fromProperties(properties));
        return of(definitions);
    }

    public Optional<QueryDefinition> find(String name) {
        return Optional.ofNullable(name == null ? null : queries.get(name));
    }

    /** Every query, by name. */
    public Collection<QueryDefinition> all() {
        return new TreeMap<>(queries).values();
    }

    /** The names, sorted: what an error lists. */
    public List<String> names() {
        return List.copyOf(new TreeSet<>(queries.keySet()));
    }

    public boolean isEmpty() {
        return queries.isEmpty();
    }

    static List<QueryDefinition> fromDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(
                    DIR_PROPERTY + " (CONVEYOR_QUERIES_DIR) is " + dir.toAbsolutePath() + ", which is not a directory");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sql"))
                    .sorted()
                    .map(QueryCatalogue::fromFile)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the queries in " + dir, e);
        }
    }

    static QueryDefinition fromFile(Path file) {
        String fileName = file.getFileName().toString();
        String name = fileName.substring(0, fileName.length() - ".sql".length());
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the query " + file, e);
        }
        try {
            return parseFile(name, text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The query file " + file + " is invalid: " + e.getMessage(), e);
        }
    }

    /** A {@code .sql} file's text: leading {@code --} lines describe the query and declare its parameters. */
    static QueryDefinition parseFile(String name, String text) {
        StringBuilder description = new StringBuilder();
        Map<String, ParameterType> parameters = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            String stripped = line.strip();
            if (stripped.isEmpty()) {
                continue;
            }
            if (!stripped.startsWith("--")) {
                break;
            }
            String comment = stripped.substring(2).strip();
            if (comment.startsWith("@param")) {
                Matcher m = PARAM.matcher(comment);
                if (!m.matches()) {
                    throw new IllegalArgumentException(
                            "'" + comment + "' is not '@param <name> <type>' (types: " + typeNames() + ")");
                }
                declare(parameters, m.group(1), m.group(2));
            } else if (!comment.startsWith("@")) {
                description.append(description.isEmpty() ? "" : " ").append(comment);
            } else {
                throw new IllegalArgumentException("unknown directive '" + comment + "': only @param is known");
            }
        }
        return new QueryDefinition(name, description.toString(), text, parameters);
    }

    static List<QueryDefinition> fromProperties(Map<String, String> properties) {
        Map<String, String> sql = new TreeMap<>();
        Map<String, String> descriptions = new TreeMap<>();
        Map<String, Map<String, ParameterType>> parameters = new TreeMap<>();
        properties.forEach((key, value) -> {
            Matcher m = PROPERTY.matcher(key);
            if (!m.matches()) {
                throw new IllegalStateException("Unknown query property '" + key + "': expected " + PREFIX
                        + "<name>.sql, .description or .params.<param> (names match "
                        + QueryDefinition.NAME_PATTERN + ")");
            }
            String name = m.group(1);
            if (m.group(3) != null) {
                try {
                    declare(parameters.computeIfAbsent(name, n -> new LinkedHashMap<>()), m.group(3), value.strip());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("Property " + key + ": " + e.getMessage(), e);
                }
            } else if (m.group(2).equals("sql")) {
                sql.put(name, value);
            } else {
                descriptions.put(name, value);
            }
        });
        for (String name : parameters.keySet()) {
            if (!sql.containsKey(name)) {
                throw new IllegalStateException("Query '" + name + "' has parameters but no " + PREFIX + name + ".sql");
            }
        }
        for (String name : descriptions.keySet()) {
            if (!sql.containsKey(name)) {
                throw new IllegalStateException(
                        "Query '" + name + "' has a description but no " + PREFIX + name + ".sql");
            }
        }
        return sql.entrySet().stream()
                .map(e -> {
                    try {
                        return new QueryDefinition(
                                e.getKey(),
                                descriptions.get(e.getKey()),
                                e.getValue(),
                                parameters.getOrDefault(e.getKey(), Map.of()));
                    } catch (IllegalArgumentException failure) {
                        throw new IllegalStateException(
                                "Property " + PREFIX + e.getKey() + ".sql is invalid: " + failure.getMessage(),
                                failure);
                    }
                })
                .toList();
    }

    private static void declare(Map<String, ParameterType> parameters, String name, String typeName) {
        ParameterType type = ParameterType.named(typeName);
        if (type == null) {
            throw new IllegalArgumentException(
                    "parameter '" + name + "' has unknown type '" + typeName + "' (types: " + typeNames() + ")");
        }
        if (parameters.putIfAbsent(name, type) != null) {
            throw new IllegalArgumentException("parameter '" + name + "' is declared twice");
        }
    }

    private static String typeNames() {
        return Stream.of(ParameterType.values())
                .map(ParameterType::wireName)
                .toList()
                .toString();
    }
}
