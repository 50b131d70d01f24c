package io.conveyor.gateway.rest.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.Json;

/**
 * Turns a JSON Schema tree (what victools' generator writes) into the OpenAPI model SmallRye serialises. OpenAPI 3.1
 * schemas are JSON Schema 2020-12, so every keyword is carried over as it is; only the keywords whose values are
 * themselves schemas become model objects, so references and nested schemas stay navigable for the filter.
 */
final class SchemaModels {

    private static final Set<String> ONE_SCHEMA = Set.of(
            "items",
            "not",
            "contains",
            "if",
            "then",
            "else",
            "propertyNames",
            "additionalProperties",
            "unevaluatedItems",
            "unevaluatedProperties",
            "contentSchema");
    private static final Set<String> SCHEMA_MAP = Set.of("properties", "patternProperties", "dependentSchemas");
    private static final Set<String> SCHEMA_LIST = Set.of("allOf", "anyOf", "oneOf", "prefixItems");

    private SchemaModels() {}

    static Schema of(JsonNode json) {
        if (json.has("$defs")) {
            // Shared definitions would need their references rewritten into components: not needed by any record yet.
            throw new IllegalStateException("A generated schema has $defs, which the OpenAPI document does not take: "
                    + json.get("$defs").fieldNames().next());
        }
        Schema schema = OASFactory.createSchema();
        json.properties().forEach(field -> schema.set(field.getKey(), value(field.getKey(), field.getValue())));
        return schema;
    }

    private static Object value(String keyword, JsonNode value) {
        if (ONE_SCHEMA.contains(keyword) && value.isObject()) {
            return of(value);
        }
        if (SCHEMA_MAP.contains(keyword)) {
            Map<String, Schema> schemas = new LinkedHashMap<>();
            value.properties().forEach(e -> schemas.put(e.getKey(), of(e.getValue())));
            return schemas;
        }
        if (SCHEMA_LIST.contains(keyword)) {
            List<Schema> schemas = new ArrayList<>();
            value.forEach(item -> schemas.add(of(item)));
            return schemas;
        }
        return Json.mapper().convertValue(value, Object.class);
    }
}
