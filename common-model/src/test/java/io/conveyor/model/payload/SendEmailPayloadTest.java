package io.conveyor.model.payload;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** send_email's payload as the gateway validates it: the same Validator over the record bound from JSON. */
class SendEmailPayloadTest {

    private static ValidatorFactory validatorFactory;
    private static Validator validator;

    @BeforeAll
    static void startValidator() {
        validatorFactory = Validation.buildDefaultValidatorFactory();
        validator = validatorFactory.getValidator();
    }

    @AfterAll
    static void closeValidator() {
        validatorFactory.close();
    }

    @Test
    void todaysWrittenEmailStillBindsAndIsValid() throws Exception {
        SendEmailPayload payload =
                bind("{'to':'a@example.com','subject':'Hi','body':'<b>x</b>','html':true,'cc':['c@example.com']}");

        assertEquals(Map.of(), violations(payload));
        assertEquals(
                new SendEmailPayload("a@example.com", "Hi", "<b>x</b>", true, List.of("c@example.com"), null), payload);
    }

    @Test
    void aWrittenEmailIsWrittenBackAsBeforeSoOlderWorkersReadIt() throws Exception {
        JsonNode canonical =
                Json.mapper().valueToTree(new SendEmailPayload("a@example.com", "Hi", "Hello", null, null, null));

        assertEquals(
                "{\"to\":\"a@example.com\",\"subject\":\"Hi\",\"body\":\"Hello\",\"html\":false,\"cc\":[],\"bcc\":[]}",
                canonical.toString());
        assertEquals(
                canonical, Json.mapper().valueToTree(Json.mapper().treeToValue(canonical, SendEmailPayload.class)));
    }

    @Test
    void aTemplateWithAModelOfAnyJsonValuesIsValidWithoutSubjectOrBody() throws Exception {
        SendEmailPayload payload = bind("{'to':'a@example.com','template':'welcome',"
                + "'model':{'name':'Ada','n':3,'ok':true,'none':null,'items':[1,'two'],'user':{'city':'Paris'}}}");

        assertEquals(Map.of(), violations(payload));
        assertEquals(Map.of("city", "Paris"), payload.model().get("user"));
        assertTrue(payload.model().containsKey("none"));
        assertNull(payload.model().get("none"));
    }

    @Test
    void neitherBodyNorTemplateNamesBodyAndSubject() throws Exception {
        Map<String, String> violated = violations(bind("{'to':'a@example.com'}"));

        assertEquals(Set.of("body", "subject"), violated.keySet());
        assertEquals("is required unless template is given", violated.get("body"));
    }

    @Test
    void bodyAndTemplateTogetherAreRefusedOnBody() throws Exception {
        Map<String, String> violated =
                violations(bind("{'to':'a@example.com','subject':'s','body':'b','template':'welcome'}"));

        assertEquals(Map.of("body", "must not be given with template; give one of them"), violated);
    }

    @ParameterizedTest(name = "{0} is refused on {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{'to':'a@example.com','subject':'s','body':'b','model':{'x':1}}                 | model",
                "{'to':'a@example.com','template':'welcome','html':true}                          | html",
                "{'to':'a@example.com','template':'welcome','text':'t'}                           | text",
                "{'to':'a@example.com','subject':'s','body':'b','text':'t'}                       | text",
                "{'to':'a@example.com','template':'welcome','subject':' '}                        | subject",
                "{'to':'a@example.com','template':'Welcome'}                                      | template",
                "{'to':'a@example.com','template':'../etc/passwd'}                                | template",
                "{'to':'a@example.com','template':'a.b'}                                          | template",
                "{'to':'a@example.com','template':'welcome','replyTo':'nope'}                     | replyTo",
                "{'to':'a@example.com','template':'welcome','replyTo':''}                         | replyTo",
            })
    void inconsistentOrMalformedFieldsAreRefusedByName(String json, String field) throws Exception {
        assertEquals(Set.of(field), violations(bind(json)).keySet());
    }

    @Test
    void anHtmlBodyMayCarryItsTextAlternativeAndAReplyTo() throws Exception {
        SendEmailPayload payload = bind("{'to':'a@example.com','subject':'s','body':'<p>b</p>','html':true,"
                + "'text':'b','replyTo':'support@example.com'}");

        assertEquals(Map.of(), violations(payload));
    }

    // --- attachments ------------------------------------------------------------------------------------------------

    @Test
    void anArtifactAndInlineContentAreValidAttachments() throws Exception {
        SendEmailPayload payload = bind("{'to':'a@example.com','template':'welcome','attachments':["
                + "{'filename':'report.csv','artifact':'0190c0de-1234.csv'},"
                + "{'filename':'logo.png','contentType':'image/png','content':'" + base64(1000) + "'}]}");

        assertEquals(Map.of(), violations(payload));
        assertEquals(2, payload.attachments().size());
    }

    @Test
    void inlineContentIsCappedAtItsDecodedSize() throws Exception {
        int max = EmailAttachment.MAX_INLINE_BYTES;

        assertEquals(Map.of(), violations(withInline(base64(max))));
        Map<String, String> violated = violations(withInline(base64(max + 1)));

        assertEquals(Set.of("attachments[0].content"), violated.keySet());
        assertTrue(violated.get("attachments[0].content").contains(String.valueOf(max)), violated::toString);
    }

    @ParameterizedTest(name = "content \"{0}\" is not base64")
    @ValueSource(strings = {"YQ", "Y Q==", "YQ==\n", "Y*==", "=YQ=", "YQ==YQ=="})
    void inlineContentMustBeWellFormedPaddedBase64(String content) throws Exception {
        assertEquals(
                Set.of("attachments[0].content"),
                violations(withInline(content)).keySet());
    }

    @Test
    void anAttachmentNeedsExactlyOneOfArtifactAndContent() throws Exception {
        Map<String, String> violated = violations(bind("{'to':'a@example.com','template':'welcome','attachments':["
                + "{'filename':'a.txt'},{'filename':'b.txt','artifact':'x.csv','content':'YQ=='}]}"));

        assertEquals(
                Map.of(
                        "attachments[0].artifact", "either artifact or content is required",
                        "attachments[1].content", "must not be given with artifact; give one of them"),
                violated);
    }

    @ParameterizedTest(name = "filename \"{0}\" is refused")
    @ValueSource(strings = {"", "../x.csv", "a/b.csv", ".hidden", "a\"b.csv", "a\nb.csv"})
    void attachmentFilenamesAndArtifactsArePlainFileNames(String name) {
        SendEmailPayload payload = SendEmailPayload.ofTemplate("a@example.com", "welcome", Map.of())
                .withAttachments(List.of(
                        new EmailAttachment(name, null, "x.csv", null), EmailAttachment.ofArtifact("x.csv", name)));

        assertEquals(
                Set.of("attachments[0].filename", "attachments[1].artifact"),
                violations(payload).keySet());
    }

    @ParameterizedTest(name = "content type \"{0}\" valid: {1}")
    @CsvSource({
        "application/pdf, true",
        "image/svg+xml, true",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, true",
        "text/plain; charset=utf-8, false",
        "text, false",
    })
    void contentTypeIsABareMediaType(String contentType, boolean valid) {
        SendEmailPayload payload = SendEmailPayload.ofTemplate("a@example.com", "welcome", null)
                .withAttachments(List.of(new EmailAttachment("a.bin", contentType, "x.bin", null)));

        assertEquals(
                valid ? Set.of() : Set.of("attachments[0].contentType"),
                violations(payload).keySet());
    }

    @Test
    void atMostTenAttachments() {
        List<EmailAttachment> eleven = new ArrayList<>(Collections.nCopies(11, EmailAttachment.ofArtifact("a", "b")));
        SendEmailPayload payload = SendEmailPayload.ofTemplate("a@example.com", "welcome", null);

        assertEquals(Map.of(), violations(payload.withAttachments(eleven.subList(0, 10))));
        assertEquals(
                Set.of("attachments"),
                violations(payload.withAttachments(eleven)).keySet());
    }

    @Test
    void aContentTypeCannotSmuggleAHeader() {
        SendEmailPayload payload = SendEmailPayload.ofTemplate("a@example.com", "welcome", null)
                .withAttachments(List.of(new EmailAttachment("a.bin", "text/plain\r\nBcc: x@example.com", "x", null)));

        assertEquals(Set.of("attachments[0].contentType"), violations(payload).keySet());
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static SendEmailPayload withInline(String content) throws Exception {
        return bind("{'to':'a@example.com','template':'welcome','attachments':[{'filename':'a.bin','content':'"
                + content.replace("\n", "\\n") + "'}]}");
    }

    private static String base64(int bytes) {
        byte[] data = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            data[i] = (byte) i;
        }
        return Base64.getEncoder().encodeToString(data);
    }

    private static SendEmailPayload bind(String json) throws Exception {
        return Json.mapper().readValue(json.replace('\'', '"'), SendEmailPayload.class);
    }

    /** Each violated property path with its messages. */
    private static Map<String, String> violations(Object payload) {
        Set<ConstraintViolation<Object>> violations = validator.validate(payload);
        return violations.stream()
                .collect(Collectors.toMap(
                        v -> v.getPropertyPath().toString(), ConstraintViolation::getMessage, (a, b) -> a + "; " + b));
    }
}
