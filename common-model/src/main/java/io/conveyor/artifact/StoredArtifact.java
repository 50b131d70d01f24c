package io.conveyor.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** One artifact as a store found it: its size and time of last change, and its bytes. */
public interface StoredArtifact {

    /** Its name in the store, a plain file name. */
    String name();

    /** Its length in bytes. */
    long size();

    /** When it was last written. */
    Instant lastModified();

    /** Its bytes from {@code offset}, at most {@code length} of them (a byte range), to be closed by the caller. */
    InputStream open(long offset, long length) throws IOException;

    /**
     * The artifact as a file on this machine, which a server can send without copying it through the heap; empty
     * for a store whose artifacts are elsewhere (an object store), which is read through {@link #open}.
     */
    Optional<Path> localFile();
}
