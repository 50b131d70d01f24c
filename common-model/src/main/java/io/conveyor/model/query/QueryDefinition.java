package io.conveyor.model.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One allow-listed query: its name (what a {@code db_query} request gives), a description, its SQL with {@code :name}
 * parameters, and the type of each parameter. Checked when it is defined: every parameter the SQL uses is declared,
 * and every declared one is used. The SQL is parsed once, here: {@link #jdbcSql()} and {@link #bind} use that parse.
 */
public final class QueryDefinition {

    /** What a query's name looks like: it is also a file name ({@code <name>.sql}). */
    public static final String NAME_PATTERN = "[a-z][a-z0-9_]{0,62}";

    private final String name;
    private final String description;
    private final String sql;
    private final Map<String, ParameterType> parameters;
    private final NamedSql named;

    public QueryDefinition(String name, String description, String sql, Map<String, ParameterType> parameters) {
        if (name == null || !name.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException("query name '" + name + "' must match " + NAME_PATTERN);
        }
        try {
            this.named = NamedSql.parse(sql);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("query '" + name + "': " + e.getMessage());
        }
        if (named.jdbc().isBlank()) {
            throw new IllegalArgumentException("query '" + name + "' has no SQL");
        }
        Set<String> used = new LinkedHashSet<>(named.names());
        Set<String> undeclared = new LinkedHashSet<>(used);
        undeclared.removeAll(parameters.keySet());
        if (!undeclared.isEmpty()) {
            throw new IllegalArgumentException("query '" + name + "' uses parameters " + undeclared
                    + " without declaring their types (e.g. '-- @param "
                    + undeclared.iterator().next() + " text')");
        }
        Set<String> unused = new LinkedHashSet<>(parameters.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException(
                    "query '" + name + "' declares parameters " + unused + " that its SQL does not use");
        }
        this.name = name;
        this.description = description == null ? "" : description.strip();
        this.sql = sql;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The name a request gives. */
    public String name() {
        return name;
    }

    /** One line for the API; empty when the definition gives none. */
    public String description() {
        return description;
    }

    /** The SQL as defined, with {@code :name} parameters. */
    public String sql() {
        return sql;
    }

    /** Each parameter's type, in the order of declaration. */
    public Map<String, ParameterType> parameters() {
        return parameters;
    }

    /** The statement JDBC prepares, with {@code ?} placeholders. */
    public String jdbcSql() {
        return named.jdbc();
    }

    /**
     * What is wrong with {@code given} as this query's parameters, by parameter name (sorted); empty when they are
     * right: every declared parameter given, of its type, and nothing else.
     */
    public Map<String, String> check(Map<String, Object> given) {
        Map<String, String> errors = new TreeMap<>();
        Map<String, Object> values = given == null ? Map.of() : given;
        parameters.forEach((parameter, type) -> {
            if (!values.containsKey(parameter) || values.get(parameter) == null) {
                errors.put(parameter, "is required: " + type.expected());
            } else {
                try {
                    type.bind(values.get(parameter));
                } catch (IllegalArgumentException e) {
                    errors.put(parameter, e.getMessage());
                }
            }
        });
        for (String extra : values.keySet()) {
            if (!parameters.containsKey(extra)) {
                errors.put(
                        extra,
                        parameters.isEmpty()
                                ? "is not a parameter: query '" + name + "' takes none"
                                : "is not a parameter of query '" + name + "'; it takes " + parameters.keySet());
            }
        }
        return errors;
    }

    /**
     * The values of the statement's placeholders, in order.
     *
     * @throws IllegalArgumentException when {@link #check} finds something wrong
     */
    public List<Object> bind(Map<String, Object> given) {
        Map<String, String> errors = check(given);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Parameters of query '" + name + "': " + errors);
        }
        List<Object> bound = new ArrayList<>();
        for (String parameter : named.names()) {
            bound.add(parameters.get(parameter).bind(given.get(parameter)));
        }
        return bound;
    }
}
