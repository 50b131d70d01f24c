package io.conveyor.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionEnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void nothingSetDerivesNothing() {
        assertTrue(new ConnectionEnvironment(Map.<String, String>of()::get)
                .getProperties()
                .isEmpty());
    }

    @Test
    void readsCredentialsFromTheFilesFirstLine() throws IOException {
        Path user = Files.writeString(dir.resolve("username"), "conveyor\n");
        Path password = Files.writeString(dir.resolve("password"), "  s3cret \nignored\n");
        Path redis = Files.writeString(dir.resolve("redis"), "r3dis");

        Map<String, String> derived = new ConnectionEnvironment(Map.of(
                        "RABBITMQ_USERNAME_FILE", user.toString(),
                        "RABBITMQ_PASSWORD_FILE", password.toString(),
                        "REDIS_PASSWORD_FILE", redis.toString())::get)
                .getProperties();

        assertEquals(
                Map.of(
                        "conveyor.broker.username", "conveyor",
                        "conveyor.broker.password", "s3cret",
                        "quarkus.redis.password", "r3dis"),
                derived);
    }

    @Test
    void aMissingOrEmptyFileStopsStartupWithItsVariable() throws IOException {
        IllegalArgumentException missing = assertThrows(
                IllegalArgumentException.class,
                () -> new ConnectionEnvironment(Map.of("RABBITMQ_PASSWORD_FILE", "/nonexistent/password")::get));
        assertTrue(
                missing.getMessage().startsWith("RABBITMQ_PASSWORD_FILE names /nonexistent/password, which cannot"),
                missing.getMessage());

        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        IllegalArgumentException blank = assertThrows(
                IllegalArgumentException.class,
                () -> new ConnectionEnvironment(Map.of("REDIS_PASSWORD_FILE", empty.toString())::get));
        assertTrue(blank.getMessage().contains("first line is empty"), blank.getMessage());
    }

    @Test
    void sentinelsTurnTheRedisClientIntoASentinelClient() {
        Map<String, String> derived = new ConnectionEnvironment(
                        Map.of("REDIS_SENTINELS", "s1:26391, s2 ,rediss://:pw@s3:26393")::get)
                .getProperties();

        assertEquals(
                Map.of(
                        "quarkus.redis.client-type", "sentinel",
                        "quarkus.redis.hosts", "redis://s1:26391,redis://s2:26379,rediss://:pw@s3:26393",
                        "quarkus.redis.master-name", "conveyor",
                        "quarkus.redis.role", "master"),
                derived);
        assertEquals(
                "prod",
                new ConnectionEnvironment(Map.of("REDIS_SENTINELS", "s1:1", "REDIS_MASTER_NAME", "prod")::get)
                        .getValue("quarkus.redis.master-name"));
    }

    @Test
    void refusesSentinelsThatAreNotAddresses() {
        assertThrows(
                IllegalArgumentException.class, () -> new ConnectionEnvironment(Map.of("REDIS_SENTINELS", " , ")::get));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ConnectionEnvironment(Map.of("REDIS_SENTINELS", "user@s1:26379")::get));
        assertTrue(e.getMessage().contains("neither host:port nor a redis:// URL"), e.getMessage());
    }

    @Test
    void winsOverApplicationPropertiesButNotOverTheEnvironment() throws IOException {
        Path password = Files.writeString(dir.resolve("password"), "from-file");
        ConnectionEnvironment files =
                new ConnectionEnvironment(Map.of("RABBITMQ_PASSWORD_FILE", password.toString())::get);

        SmallRyeConfig properties = new SmallRyeConfigBuilder()
                .withSources(
                        files,
                        new MapBackedConfigSource(
                                "application.properties", Map.of("conveyor.broker.password", "guest"), 250) {})
                .build();
        assertEquals("from-file", properties.getRawValue("conveyor.broker.password"));

        SmallRyeConfig environment = new SmallRyeConfigBuilder()
                .withSources(
                        files, new MapBackedConfigSource("env", Map.of("conveyor.broker.password", "from-env"), 300) {})
                .build();
        assertEquals("from-env", environment.getRawValue("conveyor.broker.password"));
    }

    @Test
    void isRegisteredAsAConfigSource() throws IOException {
        try (var services = ConnectionEnvironment.class.getResourceAsStream(
                "/META-INF/services/org.eclipse.microprofile.config.spi.ConfigSource")) {
            assertEquals(ConnectionEnvironment.class.getName(), new String(services.readAllBytes()).strip());
        }
    }
}
