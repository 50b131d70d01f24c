package io.conveyor.gateway.rest;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.conveyor.model.validation.MaxDuration;

/**
 * Derives a JSON Schema (draft 2020-12) from a payload record and its Bean Validation constraints, so the
 * catalogue endpoint documents exactly what validation enforces. A field type it cannot map is refused with
 * {@link UnsupportedPayloadFieldException} rather than documented as an untyped {@code object}.
 */
final class JsonSchemas {

    private JsonSchemas() {}

    static Map<String, Object> of(Class<? extends Record> record) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            // Constraints land on the accessor (METHOD target) or on the type (TYPE_USE), never on the component.
            Constraints constraints = new Constraints(component.getAccessor(), component.getAnnotatedType());
            Field field = new Field(record, component.getName());
            properties.put(component.getName(), property(field, component.getAnnotatedType(), constraints));
            if (constraints.has(NotNull.class) || constraints.has(NotBlank.class)) {
                required.add(component.getName());
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    /** Looks an annotation up on each of several elements, first match wins. */
    private record Constraints(AnnotatedElement... sources) {
        <A extends Annotation> A get(Class<A> type) {
            for (AnnotatedElement source : sources) {
                A found = source.getAnnotation(type);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }

        boolean has(Class<? extends Annotation> type) {
            return get(type) != null;
        }
    }

    /** Where a property comes from, to name it in a refusal. */
    private record Field(Class<? extends Record> record, String path) {
        Field element() {
            return new Field(record, path + "[]");
        }
    }

    private static Map<String, Object> property(Field field, AnnotatedType type, Constraints constraints) {
        Map<String, Object> p = new LinkedHashMap<>();
        Class<?> raw = rawClass(field, type);
        if (raw == String.class) {
            p.put("type", "string");
        } else if (raw == boolean.class || raw == Boolean.class) {
            p.put("type", "boolean");
            if (raw == boolean.class) {
                p.put("default", false);
            }
        } else if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            p.put("type", "integer");
            if (raw.isPrimitive()) {
                p.put("default", 0);
            }
        } else if (raw == Duration.class) {
            p.put("type", "string");
            p.put("format", "duration");
        } else if (Collection.class.isAssignableFrom(raw) && type instanceof AnnotatedParameterizedType parameterized) {
            p.put("type", "array");
            AnnotatedType element = parameterized.getAnnotatedActualTypeArguments()[0];
            p.put("items", property(field.element(), element, new Constraints(element)));
        } else {
            throw new UnsupportedPayloadFieldException(field.record(), field.path(), type.getType());
        }
        constrain(p, constraints, "array".equals(p.get("type")));
        return p;
    }

    private static void constrain(Map<String, Object> p, Constraints element, boolean array) {
        if (element.has(Email.class)) {
            p.put("format", "email");
        }
        if (element.has(NotBlank.class)) {
            p.put("minLength", 1);
        }
        Size size = element.get(Size.class);
        if (size != null) {
            if (size.min() > 0) {
                p.put(array ? "minItems" : "minLength", size.min());
            }
            if (size.max() < Integer.MAX_VALUE) {
                p.put(array ? "maxItems" : "maxLength", size.max());
            }
        }
        Min min = element.get(Min.class);
        if (min != null) {
            p.put("minimum", min.value());
        }
        Max max = element.get(Max.class);
        if (max != null) {
            p.put("maximum", max.value());
        }
        Pattern pattern = element.get(Pattern.class);
        if (pattern != null) {
            p.put("pattern", "^(?:" + pattern.regexp() + ")$");
        }
        MaxDuration maxDuration = element.get(MaxDuration.class);
        if (maxDuration != null) {
            p.put("description", "ISO-8601 duration from PT0S to " + maxDuration.value());
        }
    }

    private static Class<?> rawClass(Field field, AnnotatedType type) {
        Type t = type.getType();
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> c) {
            return c;
        }
        // A type variable or wildcard: nothing to derive a schema from.
        throw new UnsupportedPayloadFieldException(field.record(), field.path(), t);
    }
}
