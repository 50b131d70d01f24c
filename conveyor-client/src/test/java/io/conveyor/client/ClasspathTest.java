package io.conveyor.client;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.conveyor.model.Json;
import io.conveyor.model.TaskDefinition;
import io.conveyor.model.payload.SendEmailPayload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's class path is what a producer gets: common-model's records and Jackson, not the broker client, not
 * Quarkus, not the Jandex reader, JBoss Logging or the Bean Validation API. And the records still load without them.
 */
class ClasspathTest {

    private static final String PAYLOADS = "io/conveyor/model/payload/";

    @Test
    void noBrokerClientQuarkusOrWhatOnlyTheAppsNeed() {
        for (String absent : List.of(
                "com.rabbitmq.client.ConnectionFactory",
                "io.quarkus.runtime.Quarkus",
                "io.smallrye.config.SmallRyeConfig",
                "org.jboss.jandex.Index",
                "org.jboss.logging.Logger",
                "jakarta.validation.Validation",
                "io.netty.channel.Channel")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(absent), absent + " is on the class path");
        }
        String classPath = System.getProperty("java.class.path") + System.getProperty("surefire.test.class.path", "");
        for (String part : classPath.split(File.pathSeparator)) {
            String name = part.replace('\\', '/');
            assertFalse(name.contains("/io/quarkus/") || name.contains("/com/rabbitmq/"), part);
        }
    }

    @Test
    void everyPayloadRecordLoadsAndWritesItsExample() throws Exception {
        List<Class<?>> records = payloadRecords();
        assertTrue(records.size() >= 6, "found " + records);
        ObjectMapper mapper = Json.mapper();
        for (Class<?> record : records) {
            TaskDefinition definition = record.getAnnotation(TaskDefinition.class);
            Object payload = mapper.readValue(definition.example(), record);
            String written = mapper.writeValueAsString(payload);
            assertEquals(payload, mapper.readValue(written, record), record.getName());
            assertEquals(definition.name(), ConveyorClient.typeOf(record));
        }
    }

    /** Every class of common-model's payload package, from its directory or its jar. */
    private static List<Class<?>> payloadRecords() throws IOException, URISyntaxException, ClassNotFoundException {
        Path location = Path.of(SendEmailPayload.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.list(location.resolve(PAYLOADS))) {
                files.map(f -> PAYLOADS + f.getFileName()).forEach(names::add);
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                jar.stream()
                        .map(e -> e.getName())
                        .filter(n -> n.startsWith(PAYLOADS))
                        .forEach(names::add);
            }
        }
        List<Class<?>> records = new ArrayList<>();
        for (String name : names) {
            if (name.endsWith(".class") && !name.contains("$")) {
                Class<?> type =
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'));
                if (type.isRecord() && type.isAnnotationPresent(TaskDefinition.class)) {
                    records.add(type);
                }
            }
        }
        return records;
    }
}
