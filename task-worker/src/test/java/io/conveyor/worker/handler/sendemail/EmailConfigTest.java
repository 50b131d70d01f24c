package io.conveyor.worker.handler.sendemail;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.conveyor.config.ConfigLimits;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** send_email's settings as SmallRye Config maps them and ConfigLimits checks them. */
class EmailConfigTest {

    @Test
    void defaultsToBuiltInTemplatesOnlyAndTenMebibytesOfAttachments() {
        EmailConfig config = load(Map.of());

        assertEquals(Optional.empty(), config.templatesDir());
        assertEquals(10L << 20, config.maxAttachmentBytes());
    }

    @Test
    void anEmptyTemplateDirectoryIsNone() {
        // What CONVEYOR_EMAIL_TEMPLATES unset gives: ${CONVEYOR_EMAIL_TEMPLATES:}.
        assertEquals(
                Optional.empty(),
                load(Map.of("conveyor.email.templates-dir", "")).templatesDir());
    }

    @Test
    void readsTheAttachmentCapAsAMemorySize() {
        assertEquals(
                512L << 10,
                load(Map.of("conveyor.email.max-attachment-bytes", "512K")).maxAttachmentBytes());
    }

    @ParameterizedTest(name = "max-attachment-bytes={0} is refused")
    @ValueSource(strings = {"0", "2G"})
    void refusesACapOutOfRange(String value) {
        EmailConfig config = load(Map.of("conveyor.email.max-attachment-bytes", value));

        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> ConfigLimits.refuseAny(ConfigLimits.violations(
                        "conveyor.email", EmailConfig.class, config, ConfigLimits::environmentVariable)));

        assertTrue(refused.getMessage().contains("conveyor.email.max-attachment-bytes"), refused.getMessage());
    }

    private static EmailConfig load(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(EmailConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(EmailConfig.class);
    }
}
