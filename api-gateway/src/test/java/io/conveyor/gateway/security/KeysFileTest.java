package io.conveyor.gateway.security;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.conveyor.gateway.quota.Rate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeysFileTest {

    private static final String HASH = "sha256:" + "ab".repeat(32);
    private static final String OTHER = "sha256:" + "cd".repeat(32);

    @Test
    void readsClientsRolesHashesAndRates() {
        List<ApiClient> clients = KeysFile.parse(
                "keys",
                List.of(
                        "# a comment",
                        "",
                        "  billing producer " + HASH + " rate=50/s  # trailing",
                        "ops operator,reader " + OTHER));
        assertEquals(2, clients.size());
        ApiClient billing = clients.get(0);
        assertEquals("billing", billing.name());
        assertEquals(Set.of("producer"), billing.roles());
        assertArrayEquals(HexFormat.of().parseHex("ab".repeat(32)), billing.keySha256());
        assertEquals(Rate.parse("50/s"), billing.rate());
        assertNull(clients.get(1).rate());
        assertEquals(Set.of("operator", "reader"), clients.get(1).roles());
    }

    @Test
    void aMalformedLineNamesItsNumber() {
        assertLineError(3, "unknown role 'admin'", "# c", "a producer " + HASH, "b admin " + OTHER);
        assertLineError(1, "sha256:<64 hex digits>", "a producer sha256:abc");
        assertLineError(1, "sha256:<64 hex digits>", "a producer the-key-itself");
        assertLineError(2, "expected 3 or 4 fields", "a producer " + HASH, "b producer");
        assertLineError(1, "not a rate", "a producer " + HASH + " rate=fast");
        assertLineError(1, "not a rate", "a producer " + HASH + " rate=0/s");
        assertLineError(2, "defined twice", "a producer " + HASH, "a reader " + OTHER);
        assertLineError(2, "already given to another client", "a producer " + HASH, "b reader " + HASH);
        assertLineError(1, "reserved", "admin operator " + HASH);
        assertLineError(1, "reserved", "local producer " + HASH);
        assertLineError(1, "not a client name", "a:b producer " + HASH);
    }

    private static void assertLineError(int line, String fragment, String... lines) {
        KeysFileException e = assertThrows(KeysFileException.class, () -> KeysFile.parse("keys", List.of(lines)));
        assertTrue(e.getMessage().contains("line " + line + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void anOperatorCarriesEveryRole() {
        assertEquals(Roles.ALL, Roles.effective(Set.of("operator")));
        assertEquals(Set.of("reader"), Roles.effective(Set.of("reader")));
    }
}
