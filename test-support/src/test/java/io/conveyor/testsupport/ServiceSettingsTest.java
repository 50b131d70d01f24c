package io.conveyor.testsupport;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A system property wins over the environment, as in the apps' configuration. */
class ServiceSettingsTest {

    @Test
    void aSystemPropertyWinsOverTheEnvironment() {
        // PATH: set in every environment, and no system property of that name.
        assertEquals(System.getenv("PATH"), ServiceSettings.get("PATH", "fallback"));
        System.setProperty("PATH", "from-a-property");
        try {
            assertEquals("from-a-property", ServiceSettings.get("PATH", "fallback"));
        } finally {
            System.clearProperty("PATH");
        }
    }

    @Test
    void unsetOrBlankIsTheFallback() {
        String name = "CONVEYOR_TEST_UNSET_" + UUID.randomUUID().toString().replace('-', '_');
        assertFalse(ServiceSettings.isSet(name));
        assertEquals("fallback", ServiceSettings.get(name, "fallback"));
        System.setProperty(name, " ");
        try {
            assertEquals("fallback", ServiceSettings.get(name, "fallback"));
            System.setProperty(name, "set");
            assertTrue(ServiceSettings.isSet(name));
        } finally {
            System.clearProperty(name);
        }
    }
}
