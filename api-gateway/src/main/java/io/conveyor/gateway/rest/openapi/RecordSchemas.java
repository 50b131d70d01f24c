package io.conveyor.gateway.rest.openapi;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.constraints.NotNull;

import com.fasterxml.classmate.ResolvedType;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.impl.DefinitionKey;
import com.github.victools.jsonschema.generator.naming.SchemaDefinitionNamingStrategy;
import com.github.victools.jsonschema.module.jackson.JacksonModule;

import io.conveyor.model.Json;

/**
 * The schemas of the records the API answers with, as components of the OpenAPI document, derived by victools'
 * generator so they say what the JSON really holds: every field is written (nulls included, as the API's JSON does),
 * so every field is required; a field may be null unless it is a primitive or marked {@link NotNull}; a record
 * written with {@link JsonInclude.Include#NON_EMPTY} (a problem) leaves out its empty fields, which are then optional.
 * Records used in several places become one component each, referenced by name.
 */
final class RecordSchemas {

    static final String COMPONENTS = "components/schemas";

    private final SchemaBuilder builder;
    private final Map<String, ObjectNode> references = new LinkedHashMap<>();

    RecordSchemas() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(
                        Json.mapper(), SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(Option.DEFINITIONS_FOR_ALL_OBJECTS)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        // Properties in the record's order, as the JSON is written (victools sorts them by name otherwise).
        config.forTypesInGeneral().withPropertySorter((a, b) -> 0);
        config.forFields().withRequiredCheck(field -> !omittedWhenEmpty(field));
        config.forFields()
                .withNullableCheck(field -> !omittedWhenEmpty(field)
                        && !field.getType().isPrimitive()
                        && field.getAnnotationConsideringFieldAndGetterIfSupported(NotNull.class) == null);
        config.forTypesInGeneral().withCustomDefinitionProvider((type, context) -> {
            Class<?> raw = type.getErasedType();
            if (raw == Duration.class || raw == Instant.class) {
                return new CustomDefinition(
                        context.getGeneratorConfig()
                                .createObjectNode()
                                .put("type", "string")
                                .put("format", raw == Duration.class ? "duration" : "date-time"),
                        CustomDefinition.DefinitionType.INLINE,
                        CustomDefinition.AttributeInclusion.NO);
            }
            if (JsonNode.class.isAssignableFrom(raw)) {
                // Any JSON value: the task type's own schema narrows it where the document knows the type.
                return new CustomDefinition(
                        context.getGeneratorConfig().createObjectNode(),
                        CustomDefinition.DefinitionType.INLINE,
                        CustomDefinition.AttributeInclusion.NO);
            }
            return null;
        });
        // Components are named as SmallRye names them, after the class alone (a nested record too).
        config.forTypesInGeneral().withDefinitionNamingStrategy(new SchemaDefinitionNamingStrategy() {
            @Override
            public String getDefinitionNameForKey(DefinitionKey key, SchemaGenerationContext context) {
                return name(key.getType());
            }

            @Override
            public String adjustNullableName(
                    DefinitionKey key, String definitionName, SchemaGenerationContext context) {
                return definitionName + "OrNull";
            }
        });
        config.with(new JacksonModule());
        this.builder = new SchemaGenerator(config.build()).buildMultipleSchemaDefinitions();
    }

    /** A reference to the record's component; call {@link #components()} once every record was asked for. */
    ObjectNode reference(Class<?> record) {
        return references.computeIfAbsent(record.getName(), name -> builder.createSchemaReference(record));
    }

    /** The components every reference points at, by name. */
    Map<String, JsonNode> components() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        builder.collectDefinitions(COMPONENTS).properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** A record by its name ({@code TaskView}); a generic type with its parameters ({@code MapStringInteger}). */
    private static String name(ResolvedType type) {
        StringBuilder name = new StringBuilder(type.getErasedType().getSimpleName());
        type.getTypeParameters().forEach(parameter -> name.append(name(parameter)));
        return name.toString();
    }

    private static boolean omittedWhenEmpty(FieldScope field) {
        JsonInclude include = field.getDeclaringType().getErasedType().getAnnotation(JsonInclude.class);
        return include != null
                && (include.value() == JsonInclude.Include.NON_EMPTY || include.value() == JsonInclude.Include.NON_NULL)
                && !field.getType().isPrimitive()
                && field.getAnnotationConsideringFieldAndGetterIfSupported(NotNull.class) == null;
    }
}
