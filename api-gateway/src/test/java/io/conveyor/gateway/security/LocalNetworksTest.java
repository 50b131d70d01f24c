package io.conveyor.gateway.security;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalNetworksTest {

    private final LocalNetworks loopback = LocalNetworks.parse(List.of("127.0.0.0/8", "::1/128"));

    @Test
    void loopbackAddressesAreLocal() {
        assertTrue(loopback.contains("127.0.0.1"));
        assertTrue(loopback.contains("127.255.3.4"));
        assertTrue(loopback.contains("::1"));
        assertTrue(loopback.contains("0:0:0:0:0:0:0:1"));
        assertTrue(loopback.contains("::ffff:127.0.0.1"));
    }

    @Test
    void otherAddressesAreNot() {
        assertFalse(loopback.contains("198.18.0.2"));
        assertFalse(loopback.contains("128.0.0.1"));
        assertFalse(loopback.contains("::2"));
        assertFalse(loopback.contains("fe80::1%eth0"));
        assertFalse(loopback.contains(null));
        // Names are never resolved.
        assertFalse(loopback.contains("localhost"));
    }

    @Test
    void prefixesThatAreNotWholeBytes() {
        LocalNetworks net = LocalNetworks.parse(List.of("172.31.240.1/32", "10.0.0.0/12"));
        assertTrue(net.contains("172.31.240.1"));
        assertFalse(net.contains("172.31.240.2"));
        assertTrue(net.contains("10.15.255.255"));
        assertFalse(net.contains("10.16.0.0"));
    }

    @Test
    void badBlocksAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LocalNetworks.parse(List.of("localhost")));
        assertThrows(IllegalArgumentException.class, () -> LocalNetworks.parse(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> LocalNetworks.parse(List.of("10.0.0.0/x")));
    }
}
