package io.conveyor.amqp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerAddressTest {

    @Test
    void parsesAClusterWithAndWithoutPorts() {
        assertEquals(
                List.of(
                        new BrokerAddress("rabbit-0.rabbit", 5672),
                        new BrokerAddress("rabbit-1.rabbit", 5682),
                        new BrokerAddress("::1", 5673),
                        new BrokerAddress("fe80::1", 5672)),
                BrokerAddress.parseList(" rabbit-0.rabbit, rabbit-1.rabbit:5682,[::1]:5673,[fe80::1],", 5672));
    }

    @Test
    void aNodeWithoutAPortGetsTheTlsPortWithTls() {
        assertEquals(List.of(new BrokerAddress("mq", 5671)), BrokerAddress.parseList("mq", BrokerAddress.TLS_PORT));
    }

    @Test
    void refusesWhatIsNotAnAddressAndSaysWhy() {
        assertRefused("", "names no node");
        assertRefused(" , ", "names no node");
        assertRefused("mq:port", "'mq:port' is not a broker address: the port is not a number");
        assertRefused("mq:0", "must be 1..65535");
        assertRefused("mq:65536", "must be 1..65535");
        assertRefused("amqp://guest:guest@mq:5672/", "host[:port] only");
        assertRefused("::1", "IPv6 address goes in brackets");
        assertRefused("[::1", "closing ']'");
        assertRefused("[::1]5672", "expected ':port'");
        assertRefused(":5672", "needs a host");
    }

    private static void assertRefused(String list, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BrokerAddress.parseList(list, 5672));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void settingsNameEveryNodeButNoPassword() {
        BrokerSettings settings = new BrokerSettings(
                BrokerAddress.parseList("a:5671,b:5671", 5671),
                "conveyor",
                "pa55-w0rd",
                "/",
                Optional.of(new BrokerTls(Optional.empty(), "", Optional.empty(), "store-s3cret", true)),
                Duration.ofSeconds(3),
                Duration.ofSeconds(2),
                "test");

        assertEquals("amqps://a:5671,b:5671", settings.where());
        assertFalse(settings.toString().contains("pa55-w0rd"), settings.toString());
        assertFalse(settings.toString().contains("store-s3cret"), settings.toString());
    }

    @Test
    void anUnreadableStoreIsNamedWithItsVariable() {
        BrokerTls tls =
                new BrokerTls(Optional.of(Path.of("/nonexistent/ca.p12")), "changeit", Optional.empty(), "", true);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tls::context);

        assertTrue(
                e.getMessage().startsWith("RABBITMQ_TLS_TRUST_STORE: cannot read the trust store /nonexistent/ca.p12"),
                e.getMessage());
    }

    @Test
    void withoutATrustStoreTheJvmsCasAreTrusted() {
        BrokerTls tls = new BrokerTls(Optional.empty(), "", Optional.empty(), "", true);

        assertEquals("TLS", tls.context().getProtocol());
    }
}
