package io.conveyor.gateway.rest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.conveyor.model.Json;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskType;
import io.conveyor.model.payload.EmailAttachment;
import io.conveyor.model.payload.SendEmailPayload;
import io.conveyor.model.validation.MaxDuration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schema derivation without a running gateway: types and constraints map, a field without a JSON type is refused. */
class PayloadSchemasTest {

    record Supported(
            @NotNull String text,
            boolean flag,
            Boolean maybe,
            @Min(1) @Max(9) int count,
            Long big,
            @NotNull @MaxDuration("PT10M") Duration pause,
            @Size(max = 3) List<@Email String> emails,
            Set<Integer> numbers,

            @NotBlank @Size(max = 20) @Pattern(regexp = "a|b")
            String choice) {}

    record WithObject(String ok, Object things) {}

    record WithJsonNode(JsonNode tree) {}

    record WithObjectList(List<Object> things) {}

    @SuppressWarnings("rawtypes")
    record WithRawList(List things) {}

    record WithFreeFormMap(Map<String, Object> model) {}

    record WithObjectValuedList(Map<String, List<Object>> nested) {}

    record WithFlags(
            @Pattern(regexp = "x", flags = Pattern.Flag.CASE_INSENSITIVE)
            String flagged) {}

    @Test
    void mapsTypesAndConstraintsToJsonSchema() {
        ObjectNode schema = PayloadSchemas.payload(Supported.class);
        JsonNode p = schema.get("properties");

        assertEquals("object", schema.get("type").asText());
        assertFalse(schema.get("additionalProperties").asBoolean(), "unknown fields are refused");
        assertEquals(Set.of("text", "pause", "choice"), Set.copyOf(strings(schema.get("required"))));
        assertEquals("string", p.get("text").get("type").asText());
        assertEquals("boolean", p.get("flag").get("type").asText());
        assertEquals("integer", p.get("count").get("type").asText());
        assertEquals(1, p.get("count").get("minimum").asInt());
        assertEquals(9, p.get("count").get("maximum").asInt());
        assertEquals("integer", p.get("big").get("type").asText());
        assertEquals("string", p.get("pause").get("type").asText());
        assertEquals("duration", p.get("pause").get("format").asText());
        assertEquals(
                "ISO-8601 duration from PT0S to PT10M",
                p.get("pause").get("description").asText());
        assertEquals("array", p.get("emails").get("type").asText());
        assertEquals(3, p.get("emails").get("maxItems").asInt());
        assertEquals("email", p.get("emails").get("items").get("format").asText());
        assertEquals("integer", p.get("numbers").get("items").get("type").asText());
        assertEquals("^(?:a|b)$", p.get("choice").get("pattern").asText(), "anchored: Bean Validation matches all");
        assertEquals(1, p.get("choice").get("minLength").asInt());
        assertEquals(20, p.get("choice").get("maxLength").asInt());
    }

    @Test
    void aResultHasEveryFieldRequired() {
        record Result(String artifact, int rows) {}
        ObjectNode schema = PayloadSchemas.result(Result.class);

        assertEquals(Set.of("artifact", "rows"), Set.copyOf(strings(schema.get("required"))));
    }

    @Test
    void everyCatalogueTypeHasASchemaThatMatchesItsExample() throws Exception {
        for (TaskType type : TaskCatalogue.load().all()) {
            ObjectNode schema = PayloadSchemas.payload(type.payloadClass());
            PayloadSchemas.result(type.resultClass());
            JsonNode example = Json.mapper().readTree(type.example());
            for (JsonNode required : schema.path("required")) {
                assertTrue(example.has(required.asText()), type.name() + "'s example lacks " + required);
            }
        }
        JsonNode to =
                PayloadSchemas.payload(SendEmailPayload.class).get("properties").get("to");
        assertEquals("email", to.get("format").asText());
    }

    @Test
    void sendEmailHasAFreeFormModelAndTypedAttachments() {
        JsonNode p = PayloadSchemas.payload(SendEmailPayload.class).get("properties");
        JsonNode attachment = p.get("attachments").get("items");

        assertEquals(
                "{\"type\":\"object\",\"additionalProperties\":true}",
                p.get("model").toString());
        assertEquals(10, p.get("attachments").get("maxItems").asInt());
        assertEquals("object", attachment.get("type").asText());
        assertFalse(attachment.get("additionalProperties").asBoolean(), "unknown attachment fields are refused");
        assertEquals(List.of("filename"), strings(attachment.get("required")));
        List<String> fields = new ArrayList<>();
        attachment.get("properties").fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("filename", "contentType", "artifact", "content"), fields);
        JsonNode content = attachment.get("properties").get("content");
        assertEquals("base64", content.get("contentEncoding").asText());
        assertEquals(
                4 * ((EmailAttachment.MAX_INLINE_BYTES + 2) / 3),
                content.get("maxLength").asInt());
        assertTrue(content.get("description").asText().contains(String.valueOf(EmailAttachment.MAX_INLINE_BYTES)));
    }

    @Test
    void aStringToObjectMapIsAnObjectOfAnyValues() {
        JsonNode model =
                PayloadSchemas.payload(WithFreeFormMap.class).get("properties").get("model");
        assertEquals("{\"type\":\"object\",\"additionalProperties\":true}", model.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            classes = {
                WithObject.class,
                WithJsonNode.class,
                WithObjectList.class,
                WithRawList.class,
                WithObjectValuedList.class,
                WithFlags.class
            })
    @SuppressWarnings("unchecked")
    void refusesAFieldWithoutAJsonTypeNamingRecordAndField(Class<?> record) {
        UnsupportedPayloadFieldException e = assertThrows(
                UnsupportedPayloadFieldException.class, () -> PayloadSchemas.payload((Class<? extends Record>) record));

        assertTrue(e.getMessage().contains(record.getName()), e.getMessage());
        String field = record.getRecordComponents()[record.getRecordComponents().length - 1].getName();
        assertTrue(e.getMessage().contains("field '" + field), e.getMessage());
    }

    private static List<String> strings(JsonNode array) {
        return Json.mapper().convertValue(array, List.class).stream()
                .map(String::valueOf)
                .toList();
    }

    @SuppressWarnings("unused")
    private static Map<String, Object> map(JsonNode node) {
        return Json.mapper().convertValue(node, Map.class);
    }
}
