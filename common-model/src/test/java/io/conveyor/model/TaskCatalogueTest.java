package io.conveyor.model;

import java.io.File;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.conveyor.model.payload.FailPayload;
import io.conveyor.model.payload.NoopPayload;
import io.conveyor.model.payload.SendEmailPayload;
import io.conveyor.model.payload.SleepPayload;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskCatalogueTest {

    /** Two records claiming one name: the catalogue must refuse them. Not in the Jandex index (test classes). */
    @TaskDefinition(name = "dup", description = "x")
    record FirstDup() {}

    @TaskDefinition(name = "dup", description = "x")
    record SecondDup() {}

    record NotATask() {}

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

    // --- catalogue ------------------------------------------------------------------------------------------------

    @Test
    void loadFindsExactlyTheTaskDefinitionRecordsCompiledIntoTheModel() throws Exception {
        TaskCatalogue catalogue = TaskCatalogue.load();
        List<Class<?>> annotated = annotatedRecordsCompiledWith(TaskDefinition.class);

        assertEquals(
                annotated.stream()
                        .map(c -> c.getAnnotation(TaskDefinition.class).name())
                        .sorted()
                        .toList(),
                List.copyOf(catalogue.names()));
        assertEquals(
                annotated.stream()
                        .sorted(Comparator.comparing(
                                c -> c.getAnnotation(TaskDefinition.class).name()))
                        .toList(),
                catalogue.all().stream().map(TaskType::payloadClass).collect(Collectors.toList()));
        assertTrue(
                catalogue.names().containsAll(List.of("send_email", "noop", "sleep", "fail")),
                "at least the shipped types: " + catalogue.names());
    }

    @ParameterizedTest(name = "{0}: maxAttempts {1}, timeout {2}, diagnostic {3}")
    @CsvSource({
        "fail,       3, PT5S,  true",
        "noop,       3, PT5S,  true",
        "send_email, 5, PT30S, false",
        "sleep,      3, PT11M, true",
    })
    void loadedTypesCarryTheirTaskDefinitionSettings(
            String name, int maxAttempts, Duration timeout, boolean diagnostic) {
        TaskType type = TaskCatalogue.load().find(name).orElseThrow();

        assertEquals(name, type.name());
        assertEquals(maxAttempts, type.maxAttempts());
        assertEquals(timeout, type.timeout());
        assertEquals(diagnostic, type.diagnostic());
        assertEquals("conveyor.task." + name, type.queue());
    }

    @Test
    void sendEmailDefaultsToFiveAttemptsOfThirtySeconds() {
        TaskType sendEmail =
                TaskCatalogue.load().forPayload(SendEmailPayload.class).orElseThrow();

        assertEquals("send_email", sendEmail.name());
        assertEquals(5, sendEmail.maxAttempts());
        assertEquals(Duration.ofSeconds(30), sendEmail.timeout());
        assertEquals("Send an email over SMTP", sendEmail.description());
    }

    @Test
    void annotationDefaultsApplyWhenADefinitionOmitsThem() {
        TaskType dup = TaskCatalogue.of(List.of(FirstDup.class)).find("dup").orElseThrow();

        assertEquals(5, dup.maxAttempts());
        assertEquals(Duration.ofSeconds(30), dup.timeout());
        assertFalse(dup.diagnostic());
        assertEquals("x", dup.description());
    }

    @Test
    void withoutDiagnosticsOnlyTheRealWorkIsLeft() {
        TaskCatalogue catalogue = TaskCatalogue.load();
        List<String> realWork = catalogue.all().stream()
                .filter(type -> !type.diagnostic())
                .map(TaskType::name)
                .toList();

        assertEquals(realWork, List.copyOf(catalogue.withDiagnostics(false).names()));
        assertEquals(
                List.copyOf(catalogue.names()),
                List.copyOf(catalogue.withDiagnostics(true).names()));
        assertTrue(realWork.contains("send_email"), realWork::toString);
        assertTrue(catalogue.find("noop").isPresent());
        assertTrue(catalogue.withDiagnostics(false).find("noop").isEmpty());
    }

    @Test
    void findOfAnUnknownOrNullNameIsEmpty() {
        TaskCatalogue catalogue = TaskCatalogue.load();

        assertTrue(catalogue.find("nope").isEmpty());
        assertTrue(catalogue.find(null).isEmpty());
    }

    @Test
    void ofRefusesTwoRecordsWithTheSameName() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> TaskCatalogue.of(List.of(FirstDup.class, SecondDup.class)));

        assertTrue(e.getMessage().contains("'dup'"), e.getMessage());
        assertTrue(e.getMessage().contains(FirstDup.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(SecondDup.class.getName()), e.getMessage());
    }

    @Test
    void ofAcceptsTheSameRecordListedTwice() {
        TaskCatalogue catalogue = TaskCatalogue.of(List.of(FirstDup.class, FirstDup.class));

        assertEquals(List.of("dup"), List.copyOf(catalogue.names()));
    }

    @Test
    void ofRefusesARecordWithoutTaskDefinition() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TaskCatalogue.of(List.of(NotATask.class)));

        assertTrue(e.getMessage().contains(NotATask.class.getName()), e.getMessage());
    }

    // --- task type invariants -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "name \"{0}\" is refused")
    @ValueSource(
            strings = {
                "Bad-Name",
                "",
                "bad-name",
                "Send_email",
                "1type",
                "_type",
                "has space",
                "dot.ted",
                "a234567890123456789012345678901234567890123456789012345678901234"
            })
    void taskTypeRefusesANameThatCannotBeARoutingKey(String name) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new TaskType(name, NoopPayload.class, "x", 3, Duration.ofSeconds(5), false, "{}"));

        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @ParameterizedTest(name = "name \"{0}\" is accepted")
    @ValueSource(strings = {"a", "send_email", "v2", "a23456789012345678901234567890123456789012345678901234567890123"})
    void taskTypeAcceptsLowercaseNamesUpToSixtyThreeChars(String name) {
        assertEquals(name, new TaskType(name, NoopPayload.class, "x", 3, Duration.ofSeconds(5), false, "{}").name());
    }

    @ParameterizedTest(name = "maxAttempts {0} is refused")
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 26, 100})
    void taskTypeRefusesMaxAttemptsOutsideOneToTwentyFive(int maxAttempts) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new TaskType("noop", NoopPayload.class, "x", maxAttempts, Duration.ofSeconds(5), false, "{}"));

        assertTrue(e.getMessage().contains("maxAttempts"), e.getMessage());
    }

    @ParameterizedTest(name = "maxAttempts {0} is accepted")
    @ValueSource(ints = {1, 25})
    void taskTypeAcceptsMaxAttemptsAtTheBounds(int maxAttempts) {
        assertEquals(
                maxAttempts,
                new TaskType("noop", NoopPayload.class, "x", maxAttempts, Duration.ofSeconds(5), false, "{}")
                        .maxAttempts());
    }

    @ParameterizedTest(name = "timeout {0} is refused")
    @ValueSource(strings = {"PT0S", "-PT1S"})
    void taskTypeRefusesATimeoutThatIsNotPositive(Duration timeout) {
        assertThrows(
                IllegalArgumentException.class,
                () -> new TaskType("noop", NoopPayload.class, "x", 3, timeout, false, "{}"));
    }

    // --- payload validation ---------------------------------------------------------------------------------------

    @Test
    void aWellFormedEmailIsValid() {
        assertEquals(Set.of(), violatedProperties(email("someone@example.com", "Hello")));
    }

    @ParameterizedTest(name = "to \"{0}\" is invalid")
    @ValueSource(strings = {"not-an-email", "two@at@example.com", "", " "})
    void anEmailWithABadRecipientIsInvalid(String to) {
        assertEquals(Set.of("to"), violatedProperties(email(to, "Hello")));
    }

    @Test
    void anEmailWithoutRecipientIsInvalid() {
        assertEquals(Set.of("to"), violatedProperties(email(null, "Hello")));
    }

    @ParameterizedTest(name = "a {0}-char subject is valid: {1}")
    @CsvSource({"1, true", "998, true", "999, false", "5000, false"})
    void anEmailSubjectIsAtMostNineHundredNinetyEightChars(int length, boolean valid) {
        Set<String> violated = violatedProperties(email("someone@example.com", "s".repeat(length)));

        assertEquals(valid ? Set.of() : Set.of("subject"), violated);
    }

    @Test
    void anEmailWithABadCcAddressIsInvalid() {
        SendEmailPayload payload = new SendEmailPayload(
                "someone@example.com", "Hello", "body", null, List.of("ok@example.com", "nope"), null);

        Set<String> violated = violatedProperties(payload);

        assertEquals(1, violated.size(), violated::toString);
        assertTrue(violated.iterator().next().startsWith("cc"), violated::toString);
    }

    @ParameterizedTest(name = "sleep {0} is valid: {1}")
    @CsvSource({
        "PT0S,          true",
        "PT1S,          true",
        "PT10M,         true",
        "PT10M0.001S,   false",
        "PT11M,         false",
        "PT24H,         false",
        "-PT1S,         false",
    })
    void aSleepIsAtMostTenMinutesAndNotNegative(Duration duration, boolean valid) {
        assertEquals(valid ? Set.of() : Set.of("duration"), violatedProperties(new SleepPayload(duration)));
    }

    @Test
    void aSleepWithoutDurationIsInvalid() {
        assertEquals(Set.of("duration"), violatedProperties(new SleepPayload(null)));
    }

    @ParameterizedTest(name = "fail times {0} is valid: {1}")
    @CsvSource({"-1, false", "0, true", "100, true", "101, false"})
    void failTimesIsBetweenZeroAndOneHundred(int times, boolean valid) {
        assertEquals(valid ? Set.of() : Set.of("times"), violatedProperties(new FailPayload(times, false)));
    }

    // --- strict JSON ----------------------------------------------------------------------------------------------

    @Test
    void jsonReadsAnIsoDuration() throws Exception {
        SleepPayload payload = Json.mapper().readValue("{\"duration\":\"PT12S\"}", SleepPayload.class);

        assertEquals(Duration.ofSeconds(12), payload.duration());
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(
            strings = {"{\"duration\":12}", "{\"duration\":12.5}", "{\"duration\":true}", "{\"duration\":[\"PT1S\"]}"})
    void jsonRefusesADurationThatIsNotText(String json) {
        assertThrows(MismatchedInputException.class, () -> Json.mapper().readValue(json, SleepPayload.class));
    }

    @Test
    void jsonRefusesADurationThatIsNotIso8601() {
        InvalidFormatException e = assertThrows(
                InvalidFormatException.class,
                () -> Json.mapper().readValue("{\"duration\":\"12 seconds\"}", SleepPayload.class));

        assertTrue(e.getMessage().contains("ISO-8601"), e.getMessage());
    }

    @Test
    void jsonRefusesUnknownFields() {
        UnrecognizedPropertyException e = assertThrows(
                UnrecognizedPropertyException.class,
                () -> Json.mapper().readValue("{\"duration\":\"PT1S\",\"durration\":\"PT2S\"}", SleepPayload.class));

        assertEquals("durration", e.getPropertyName());
    }

    @Test
    void jsonRefusesANumberGivenAsText() {
        assertThrows(
                MismatchedInputException.class, () -> Json.mapper().readValue("{\"times\":\"3\"}", FailPayload.class));
    }

    @Test
    void jsonAppliesRecordDefaultsForOmittedFields() {
        FailPayload payload = assertDoesNotThrow(() -> Json.mapper().readValue("{}", FailPayload.class));

        assertEquals(0, payload.times());
        assertFalse(payload.permanent());
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** Every record carrying {@code annotation} among the classes compiled next to it, found without Jandex. */
    private static List<Class<?>> annotatedRecordsCompiledWith(Class<? extends Annotation> annotation)
            throws Exception {
        Path classes = Path.of(
                annotation.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes), "the model's classes are a directory here: " + classes);
        try (Stream<Path> files = Files.walk(classes)) {
            List<String> names = files.map(classes::relativize)
                    .map(Path::toString)
                    .filter(name -> name.endsWith(".class") && !name.endsWith("-info.class"))
                    .map(name ->
                            name.substring(0, name.length() - ".class".length()).replace(File.separatorChar, '.'))
                    .toList();
            List<Class<?>> found = new ArrayList<>();
            for (String name : names) {
                Class<?> c = Class.forName(name, false, annotation.getClassLoader());
                if (c.isRecord() && c.isAnnotationPresent(annotation)) {
                    found.add(c);
                }
            }
            return found;
        }
    }

    private static SendEmailPayload email(String to, String subject) {
        return new SendEmailPayload(to, subject, "body", null, null, null);
    }

    private static Set<String> violatedProperties(Object payload) {
        Set<ConstraintViolation<Object>> violations = validator.validate(payload);
        return violations.stream().map(v -> v.getPropertyPath().toString()).collect(Collectors.toSet());
    }
}
