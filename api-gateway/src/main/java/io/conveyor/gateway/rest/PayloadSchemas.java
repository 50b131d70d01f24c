package io.conveyor.gateway.rest;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Pattern;

import com.fasterxml.classmate.ResolvedType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;

import io.conveyor.model.Json;
import io.conveyor.model.TaskRequest;
import io.conveyor.model.validation.Base64Content;
import io.conveyor.model.validation.MaxDuration;

/**
 * The JSON Schemas (draft 2020-12, which OpenAPI 3.1 uses) of the payload and result records, derived by victools'
 * generator from the records and their Bean Validation constraints, so the OpenAPI document and {@code GET
 * /api/v1/task-types} say exactly what validation enforces. Two rules are ours: a {@code @Pattern} matches the whole
 * value (as Bean Validation does), so it is anchored; a {@code @MaxDuration} is described, a {@code @Base64Content}
 * is described and capped in length. A field without a JSON type
 * (an {@code Object}, a {@code JsonNode}, a raw or wildcard collection) is refused with {@link
 * UnsupportedPayloadFieldException}, never published untyped. One shape is free-form on purpose: a {@code Map<String,
 * Object>} is a JSON object of any values (an email template's model, a query's parameters), which the handler's own
 * checks type.
 */
public final class PayloadSchemas {

    /** Where the OpenAPI document keeps the union of every type's request. */
    public static final String TASK_REQUEST = "#/components/schemas/TaskRequest";

    private static final SchemaGenerator PAYLOADS = generator(false);
    private static final SchemaGenerator RESULTS = generator(true);

    private PayloadSchemas() {}

    /** What a request's {@code payload} must be: required fields are the {@code @NotNull}/{@code @NotBlank} ones. */
    public static ObjectNode payload(Class<? extends Record> record) {
        return PAYLOADS.generateSchema(record);
    }

    /** What a succeeded task's {@code result} is: a record written whole, so every field is present. */
    public static ObjectNode result(Class<? extends Record> record) {
        return RESULTS.generateSchema(record);
    }

    private static SchemaGenerator generator(boolean everyFieldPresent) {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(
                        Json.mapper(), SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        // Properties in the record's order, as the JSON is written (victools sorts them by name otherwise).
        config.forTypesInGeneral().withPropertySorter((a, b) -> 0);
        // Ours first: the first resolver with an answer wins, and the module's pattern is not anchored.
        config.forFields().withStringPatternResolver(PayloadSchemas::anchoredPattern);
        config.forFields().withDescriptionResolver(PayloadSchemas::durationLimit);
        config.forFields().withDescriptionResolver(PayloadSchemas::base64Limit);
        config.forFields().withStringMaxLengthResolver(PayloadSchemas::base64Length);
        config.forFields().withInstanceAttributeOverride((node, field, context) -> {
            if (field.getAnnotationConsideringFieldAndGetterIfSupported(Base64Content.class) != null) {
                node.put("contentEncoding", "base64");
            }
        });
        config.forFields().withTargetTypeOverridesResolver(field -> {
            requireJsonType(field);
            return null;
        });
        config.forTypesInGeneral().withCustomDefinitionProvider((type, context) -> {
            if (type.getErasedType() == Duration.class) {
                return new CustomDefinition(context.getGeneratorConfig()
                        .createObjectNode()
                        .put("type", "string")
                        .put("format", "duration"));
            }
            if (type.getErasedType() == TaskRequest.class) {
                // A task inside another request (a batch's): the document's union of every type's request.
                return new CustomDefinition(
                        context.getGeneratorConfig().createObjectNode().put("$ref", TASK_REQUEST),
                        CustomDefinition.DefinitionType.INLINE,
                        CustomDefinition.AttributeInclusion.NO);
            }
            if (isFreeFormObject(type)) {
                // Any values: not an object of the record kind, whose unknown properties are forbidden.
                return new CustomDefinition(
                        context.getGeneratorConfig()
                                .createObjectNode()
                                .put("type", "object")
                                // Said outright: generators read a bare object as an empty one.
                                .put("additionalProperties", true),
                        CustomDefinition.DefinitionType.INLINE,
                        CustomDefinition.AttributeInclusion.NO);
            }
            if (type.getErasedType() == Instant.class) {
                return new CustomDefinition(context.getGeneratorConfig()
                        .createObjectNode()
                        .put("type", "string")
                        .put("format", "date-time"));
            }
            return null;
        });
        if (everyFieldPresent) {
            config.forFields().withRequiredCheck(field -> true);
        }
        config.with(new JacksonModule())
                .with(new JakartaValidationModule(
                        JakartaValidationOption.NOT_NULLABLE_FIELD_IS_REQUIRED,
                        JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS));
        return new SchemaGenerator(config.build());
    }

    private static String anchoredPattern(FieldScope field) {
        Pattern pattern = field.getAnnotationConsideringFieldAndGetterIfSupported(Pattern.class);
        if (pattern == null) {
            return null;
        }
        if (pattern.flags().length > 0) {
            // JSON Schema patterns (ECMA-262) take no flags: write the regular expression without them.
            throw new UnsupportedPayloadFieldException(
                    declaring(field),
                    field.getName(),
                    "a @Pattern with flags, which a JSON Schema pattern cannot carry");
        }
        return "^(?:" + pattern.regexp() + ")$";
    }

    private static String durationLimit(FieldScope field) {
        MaxDuration max = field.getAnnotationConsideringFieldAndGetterIfSupported(MaxDuration.class);
        return max == null ? null : "ISO-8601 duration from PT0S to " + max.value();
    }

    private static String base64Limit(FieldScope field) {
        Base64Content content = field.getAnnotationConsideringFieldAndGetterIfSupported(Base64Content.class);
        return content == null
                ? null
                : "base64 (standard alphabet, padded, no line breaks) of at most " + content.maxBytes() + " bytes";
    }

    /** The longest base64 text of {@code maxBytes} bytes. */
    private static Integer base64Length(FieldScope field) {
        Base64Content content = field.getAnnotationConsideringFieldAndGetterIfSupported(Base64Content.class);
        return content == null ? null : 4 * ((content.maxBytes() + 2) / 3);
    }

    /** Refuses a field, or a collection's element at any depth, that has no JSON type. */
    private static void requireJsonType(FieldScope field) {
        if (field.isFakeContainerItemScope()) {
            return;
        }
        check(field, field.getType(), field.getName());
    }

    private static void check(FieldScope field, ResolvedType type, String path) {
        Class<?> raw = type.getErasedType();
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            throw new UnsupportedPayloadFieldException(
                    declaring(field), path, "Java type " + type.getBriefDescription());
        }
        if (isFreeFormObject(type)) {
            return;
        }
        if (Iterable.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)) {
            List<ResolvedType> parameters = type.getTypeParameters();
            if (parameters.isEmpty()) {
                throw new UnsupportedPayloadFieldException(
                        declaring(field), path, "Java type " + type.getBriefDescription() + " without element type");
            }
            for (ResolvedType parameter : parameters) {
                check(field, parameter, path + "[]");
            }
        }
    }

    /** {@code Map<String, Object>}: a JSON object whose values may be anything. */
    private static boolean isFreeFormObject(ResolvedType type) {
        List<ResolvedType> parameters = type.getTypeParameters();
        return Map.class.isAssignableFrom(type.getErasedType())
                && parameters.size() == 2
                && parameters.get(0).getErasedType() == String.class
                && parameters.get(1).getErasedType() == Object.class;
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Record> declaring(FieldScope field) {
        Type declaring = field.getDeclaringType().getErasedType();
        return (Class<? extends Record>) declaring;
    }
}
