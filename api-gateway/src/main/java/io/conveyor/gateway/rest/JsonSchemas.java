package io.conveyor.gateway.rest;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.RecordComponent;
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
import jakarta.validation.constraints.Size;

import io.conveyor.model.validation.MaxDuration;

/**
 * Derives a JSON Schema (draft 2020-12) from a payload record and its Bean Validation constraints, so the
 * catalogue endpoint documents exactly what validation enforces.
 */
final class JsonSchemas {

    private JsonSchemas() {
    }

    static Map<String, Object> of(Class<? extends Record> record) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            properties.put(component.getName(), property(component.getAnnotatedType(), component));
            if (component.isAnnotationPresent(NotNull.class) || component.isAnnotationPresent(NotBlank.class)) {
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

    private static Map<String, Object> property(AnnotatedType type, AnnotatedElement constraints) {
        Map<String, Object> p = new LinkedHashMap<>();
        Class<?> raw = rawClass(type);
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
        } else if (Collection.class.isAssignableFrom(raw)) {
            p.put("type", "array");
            if (type instanceof AnnotatedParameterizedType parameterized) {
                AnnotatedType element = parameterized.getAnnotatedActualTypeArguments()[0];
                p.put("items", property(element, element));
            }
        } else {
            p.put("type", "object");
        }
        constrain(p, constraints, "array".equals(p.get("type")));
        return p;
    }

    private static void constrain(Map<String, Object> p, AnnotatedElement element, boolean array) {
        if (element.isAnnotationPresent(Email.class)) {
            p.put("format", "email");
        }
        if (element.isAnnotationPresent(NotBlank.class)) {
            p.put("minLength", 1);
        }
        Size size = element.getAnnotation(Size.class);
        if (size != null) {
            if (size.min() > 0) {
                p.put(array ? "minItems" : "minLength", size.min());
            }
            if (size.max() < Integer.MAX_VALUE) {
                p.put(array ? "maxItems" : "maxLength", size.max());
            }
        }
        Min min = element.getAnnotation(Min.class);
        if (min != null) {
            p.put("minimum", min.value());
        }
        Max max = element.getAnnotation(Max.class);
        if (max != null) {
            p.put("maximum", max.value());
        }
        MaxDuration maxDuration = element.getAnnotation(MaxDuration.class);
        if (maxDuration != null) {
            p.put("description", "ISO-8601 duration from PT0S to " + maxDuration.value());
        }
    }

    private static Class<?> rawClass(AnnotatedType type) {
        java.lang.reflect.Type t = type.getType();
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof java.lang.reflect.ParameterizedType pt && pt.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }
}
