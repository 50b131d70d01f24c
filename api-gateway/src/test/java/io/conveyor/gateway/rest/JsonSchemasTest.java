package io.conveyor.gateway.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schema derivation without a running gateway: every supported Java type maps, any other is refused by name. */
class JsonSchemasTest {

    record Supported(
            @NotNull String text,
            boolean flag,
            Boolean maybe,
            int count,
            Long big,
            Duration pause,
            List<@Email String> emails,
            Set<Integer> numbers,
            List<List<Boolean>> grid) {}

    enum Colour {
        RED
    }

    record Nested(String name) {}

    record WithMap(String ok, Map<String, String> labels) {}

    record WithEnum(Colour colour) {}

    record WithRecord(Nested nested) {}

    record WithInstant(Instant at) {}

    record WithOptional(Optional<String> maybe) {}

    record WithObjectList(List<Object> things) {}

    @SuppressWarnings("rawtypes")
    record WithRawList(List things) {}

    record WithWildcardList(List<?> things) {}

    @Test
    void mapsEverySupportedJavaTypeToAJsonSchemaType() {
        Map<String, Object> properties = properties(JsonSchemas.of(Supported.class));

        assertEquals("string", type(properties, "text"));
        assertEquals("boolean", type(properties, "flag"));
        assertEquals("boolean", type(properties, "maybe"));
        assertEquals("integer", type(properties, "count"));
        assertEquals("integer", type(properties, "big"));
        assertEquals("string", type(properties, "pause"));
        assertEquals("duration", field(properties, "pause").get("format"));
        assertEquals("array", type(properties, "emails"));
        assertEquals(
                Map.of("type", "string", "format", "email"),
                field(properties, "emails").get("items"));
        assertEquals(Map.of("type", "integer"), field(properties, "numbers").get("items"));
        assertEquals(
                Map.of("type", "array", "items", Map.of("type", "boolean")),
                field(properties, "grid").get("items"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            classes = {
                WithMap.class,
                WithEnum.class,
                WithRecord.class,
                WithInstant.class,
                WithOptional.class,
                WithObjectList.class,
                WithRawList.class,
                WithWildcardList.class
            })
    @SuppressWarnings("unchecked")
    void refusesAFieldWithoutAJsonSchemaTypeNamingRecordFieldAndJavaType(Class<?> record) {
        UnsupportedPayloadFieldException e = assertThrows(
                UnsupportedPayloadFieldException.class, () -> JsonSchemas.of((Class<? extends Record>) record));

        assertTrue(e.getMessage().contains(record.getName()), e.getMessage());
        String field = record.getRecordComponents()[record.getRecordComponents().length - 1].getName();
        assertTrue(e.getMessage().contains("field '" + field), e.getMessage());
        assertTrue(e.getMessage().contains(UnsupportedPayloadFieldException.SUPPORTED), e.getMessage());
    }

    @Test
    void namesTheJavaTypeAndTheListElementItRefuses() {
        UnsupportedPayloadFieldException map =
                assertThrows(UnsupportedPayloadFieldException.class, () -> JsonSchemas.of(WithMap.class));
        UnsupportedPayloadFieldException list =
                assertThrows(UnsupportedPayloadFieldException.class, () -> JsonSchemas.of(WithObjectList.class));

        assertTrue(
                map.getMessage()
                        .contains("field 'labels': Java type java.util.Map<java.lang.String, java.lang.String>"),
                map.getMessage());
        assertTrue(list.getMessage().contains("field 'things[]': Java type java.lang.Object"), list.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> schema) {
        return (Map<String, Object>) schema.get("properties");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> field(Map<String, Object> properties, String name) {
        return (Map<String, Object>) properties.get(name);
    }

    private static Object type(Map<String, Object> properties, String name) {
        return field(properties, name).get("type");
    }
}
