package io.conveyor.worker.handler.fetch;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which resolved addresses a fetch may reach: public ones only, unless private ones are allowed; never metadata. */
class AddressPolicyTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "127.0.0.1,            loopback",
        "127.255.0.9,          loopback",
        "::1,                  loopback",
        "10.0.0.1,             private",
        "10.255.255.255,       private",
        "172.16.0.1,           private",
        "172.31.255.254,       private",
        "192.168.1.1,          private",
        "fc00::1,              private",
        "fd12:3456::1,         private",
        "169.254.1.1,          link-local",
        "fe80::1,              link-local",
        "0.0.0.0,              unspecified",
        "::,                   unspecified",
        "0.1.2.3,              unspecified",
        "224.0.0.1,            multicast",
        "ff02::1,              multicast",
        "100.64.0.1,           shared",
        "100.127.255.254,      shared",
        "240.0.0.1,            reserved",
        "255.255.255.255,      reserved",
        "198.18.0.1,           benchmarking",
        "192.0.2.10,           documentation",
        "2001:db8::1,          documentation",
        "::ffff:127.0.0.1,     loopback",
        "::ffff:10.1.2.3,      private",
        "::10.1.2.3,           private",
        "64:ff9b::a00:1,       private",
        "2002:c0a8:101::1,     private",
    })
    void refusesNonPublicAddresses(String address, String kind) throws Exception {
        String refusal = AddressPolicy.refusal(InetAddress.getByName(address), false);

        assertNotNull(refusal, address + " must be refused");
        assertTrue(refusal.startsWith("a " + kind), refusal);
        assertNull(
                AddressPolicy.refusal(InetAddress.getByName(address), true), "allowed by CONVEYOR_FETCH_ALLOW_PRIVATE");
    }

    @ParameterizedTest(name = "{0} is public")
    @ValueSource(
            strings = {
                "93.184.216.34",
                "8.8.8.8",
                "1.1.1.1",
                "100.63.255.255",
                "100.128.0.1",
                "172.15.255.255",
                "172.32.0.1",
                "192.169.0.1",
                "169.253.255.255",
                "2606:4700:4700::1111",
                "2a00:1450:4001:80b::200e",
                "::ffff:8.8.8.8",
                "64:ff9b::808:808",
                "2002:808:808::1"
            })
    void letsPublicAddressesThrough(String address) throws Exception {
        assertNull(AddressPolicy.refusal(InetAddress.getByName(address), false));
    }

    @ParameterizedTest(name = "{0} is a metadata address")
    @ValueSource(strings = {"169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe"})
    void refusesCloudMetadataEvenWhenPrivateAddressesAreAllowed(String address) throws Exception {
        String refusal = AddressPolicy.refusal(InetAddress.getByName(address), true);

        assertNotNull(refusal);
        assertTrue(refusal.contains("metadata"), refusal);
        assertEquals(refusal, AddressPolicy.refusal(InetAddress.getByName(address), false));
    }
}
