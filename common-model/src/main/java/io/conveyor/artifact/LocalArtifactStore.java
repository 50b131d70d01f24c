package io.conveyor.artifact;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Artifacts as files in one directory ({@code CONVEYOR_ARTIFACT_DIR}), shared by the workers that write them and
 * the gateway that serves them (in compose, one volume; the gateway mounts it read-only). A name resolves only to a
 * regular file directly inside the directory: a name that is not plain, or a link that leads out of the directory,
 * finds nothing.
 */
public final class LocalArtifactStore implements ArtifactStore {

    private final Path dir;

    /** {@code dir} relative to the working directory unless absolute; it need not exist yet. */
    public LocalArtifactStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The directory, absolute. */
    public Path directory() {
        return dir;
    }

    @Override
    public Optional<StoredArtifact> find(String name) throws IOException {
        Path file = resolve(name);
        if (file == null) {
            return Optional.empty();
        }
        Path real;
        BasicFileAttributes attributes;
        try {
            real = file.toRealPath();
            if (!real.startsWith(dir.toRealPath())) {
                return Optional.empty();
            }
            attributes = Files.readAttributes(real, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!attributes.isRegularFile()) {
            return Optional.empty();
        }
        return Optional.of(new LocalArtifact(
                name, attributes.size(), attributes.lastModifiedTime().toInstant(), real));
    }

    @Override
    public void write(String name, byte[] content) throws IOException {
        write(name, out -> out.write(content));
    }

    /** Writes a temporary file, then renames it atomically: a reader sees the old artifact, or none, or the new one. */
    @Override
    public long write(String name, Content content) throws IOException {
        Path file = resolve(name);
        if (file == null) {
            throw new IllegalArgumentException("'" + name + "' is not a plain file name");
        }
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
        try {
            long size;
            try (OutputStream out = new BufferedOutputStream(
                    Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16)) {
                content.writeTo(new UnclosableStream(out));
                out.flush();
                size = Files.size(temp);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return size;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A stream whose {@code close} only flushes: the store closes the file once the content is written. */
    private static final class UnclosableStream extends FilterOutputStream {

        UnclosableStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /** The file {@code name} stands for, directly inside the directory; null for a name that is not plain. */
    private Path resolve(String name) {
        if (!ArtifactNames.isPlain(name)) {
            return null;
        }
        Path file = dir.resolve(name).normalize();
        return dir.equals(file.getParent()) ? file : null;
    }

    private record LocalArtifact(String name, long size, Instant lastModified, Path file) implements StoredArtifact {

        @Override
        public InputStream open(long offset, long length) throws IOException {
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("offset " + offset + ", length " + length);
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                channel.position(offset);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return new Bounded(Channels.newInputStream(channel), length);
        }

        @Override
        public Optional<Path> localFile() {
            return Optional.of(file);
        }
    }

    /** At most {@code remaining} bytes of {@code in}. */
    private static final class Bounded extends FilterInputStream {

        private long remaining;

        Bounded(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(buffer, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
