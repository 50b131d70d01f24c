package io.conveyor.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalArtifactStoreTest {

    @TempDir
    Path root;

    @Test
    void writesWholeFilesAndFindsThemWithSizeAndTime() throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(root.resolve("artifacts"));
        store.write("t1.csv", bytes("a,b\n1,2\n"));
        store.write("t1.csv", bytes("a,b\n"));
        Instant then = Instant.parse("2026-01-02T03:04:05Z");
        Files.setLastModifiedTime(root.resolve("artifacts/t1.csv"), FileTime.from(then));

        StoredArtifact found = store.find("t1.csv").orElseThrow();
        assertEquals("t1.csv", found.name());
        assertEquals(4, found.size());
        assertEquals(then, found.lastModified());
        assertEquals(Optional.of(root.resolve("artifacts/t1.csv").toRealPath()), found.localFile());
        try (Stream<Path> files = Files.list(root.resolve("artifacts"))) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void streamsLargeContentAndKeepsTheOldArtifactWhenWritingFails() throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(root.resolve("artifacts"));
        store.write("big.csv", bytes("old"));
        long written = store.write("big.csv", out -> {
            for (int i = 0; i < 100_000; i++) {
                out.write(bytes(i + "\n"));
            }
            out.close(); // the store owns the file: a content that closes its stream only flushes it
        });
        assertEquals(Files.size(root.resolve("artifacts/big.csv")), written);
        assertEquals(588_890, written);

        IOException failure = assertThrows(
                IOException.class,
                () -> store.write("big.csv", out -> {
                    out.write(bytes("half"));
                    throw new IOException("the database went away");
                }));
        assertEquals("the database went away", failure.getMessage());
        assertEquals(588_890, store.find("big.csv").orElseThrow().size(), "the old artifact stays whole");
        try (Stream<Path> files = Files.list(root.resolve("artifacts"))) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void opensAByteRange() throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(root);
        store.write("r.bin", bytes("0123456789"));
        StoredArtifact found = store.find("r.bin").orElseThrow();
        try (InputStream in = found.open(3, 4)) {
            assertArrayEquals(bytes("3456"), in.readAllBytes());
        }
        try (InputStream in = found.open(8, 100)) {
            assertArrayEquals(bytes("89"), in.readAllBytes());
        }
        try (InputStream in = found.open(0, 10)) {
            assertEquals('0', in.read());
            assertEquals(8, in.skip(8));
            assertEquals('9', in.read());
            assertEquals(-1, in.read());
        }
    }

    @Test
    void findsNothingForAMissingFileOrDirectory() throws IOException {
        assertTrue(new LocalArtifactStore(root.resolve("none")).find("x.png").isEmpty());
        Files.createDirectories(root.resolve("sub.png"));
        assertTrue(new LocalArtifactStore(root).find("sub.png").isEmpty(), "a directory is no artifact");
    }

    @Test
    void neverResolvesOutsideItsDirectory() throws IOException {
        Path dir = Files.createDirectories(root.resolve("artifacts"));
        Files.writeString(root.resolve("secret.txt"), "secret");
        Files.writeString(dir.resolve(".hidden.tmp"), "half written");
        LocalArtifactStore store = new LocalArtifactStore(dir);
        for (String name : new String[] {"../secret.txt", "..", "/etc/passwd", "..\\secret.txt", ".hidden.tmp"}) {
            assertTrue(store.find(name).isEmpty(), name);
            assertThrows(IllegalArgumentException.class, () -> store.write(name, bytes("x")), name);
        }
        assertEquals("secret", Files.readString(root.resolve("secret.txt")));
    }

    @Test
    void aLinkLeadingOutOfTheDirectoryFindsNothing() throws IOException {
        Path dir = Files.createDirectories(root.resolve("artifacts"));
        Path secret = Files.writeString(root.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(dir.resolve("link.txt"), secret);
        Files.writeString(dir.resolve("inside.txt"), "ok");
        Files.createSymbolicLink(dir.resolve("alias.txt"), dir.resolve("inside.txt"));
        LocalArtifactStore store = new LocalArtifactStore(dir);
        assertTrue(store.find("link.txt").isEmpty());
        assertEquals(2, store.find("alias.txt").orElseThrow().size(), "a link within the directory is served");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
