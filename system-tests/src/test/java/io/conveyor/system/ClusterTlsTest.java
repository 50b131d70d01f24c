package io.conveyor.system;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * amqps to the cluster's TLS listener (scripts/cluster.sh: node 1, a certificate for localhost from a CA of its own):
 * with the CA in a trust store and a client certificate the gateway connects and its tasks are confirmed; without
 * them it trusts nothing, stays unready and says why.
 */
@Tag(Cluster.TAG)
class ClusterTlsTest {

    private App gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static Map<String, String> tlsEnv(Map<String, String> cluster) {
        Map<String, String> env = Cluster.appEnv(cluster);
        env.put("RABBITMQ_ADDRESSES", "localhost:" + cluster.get("CLUSTER_TLS_PORT"));
        env.put("RABBITMQ_TLS", "true");
        env.put("RABBITMQ_USERNAME", cluster.get("RABBITMQ_USERNAME"));
        env.put("RABBITMQ_PASSWORD", cluster.get("RABBITMQ_PASSWORD"));
        return env;
    }

    @Test
    void connectsWithItsTrustStoreAndClientCertificate() {
        Map<String, String> cluster = Cluster.env();
        Map<String, String> env = tlsEnv(cluster);
        env.put("RABBITMQ_TLS_TRUST_STORE", cluster.get("CLUSTER_TLS_TRUST_STORE"));
        env.put("RABBITMQ_TLS_TRUST_STORE_PASSWORD", cluster.get("CLUSTER_TLS_STORE_PASSWORD"));
        env.put("RABBITMQ_TLS_KEY_STORE", cluster.get("CLUSTER_TLS_KEY_STORE"));
        env.put("RABBITMQ_TLS_KEY_STORE_PASSWORD", cluster.get("CLUSTER_TLS_STORE_PASSWORD"));
        gateway = App.gateway(env).awaitReady(Duration.ofSeconds(90));

        assertEquals(
                202, gateway.postJson("/api/v1/tasks", "{\"type\":\"noop\"}").statusCode());
        assertTrue(
                gateway.log().contains("Connected to RabbitMQ at amqps://localhost:" + cluster.get("CLUSTER_TLS_PORT")),
                "the gateway names the TLS connection");
    }

    @Test
    void withoutTheCaItTrustsNothingAndSaysWhy() {
        gateway = App.gateway(tlsEnv(Cluster.env()));

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> gateway.log().contains("not reachable"));
        String log = gateway.log();
        assertTrue(
                log.contains("SSLHandshakeException") || log.contains("PKIX"), "the log names the certificate problem");
        assertEquals(503, gateway.get("/q/health/ready").statusCode());
        assertEquals(
                503, gateway.postJson("/api/v1/tasks", "{\"type\":\"noop\"}").statusCode());
    }
}
