package io.conveyor.worker.handler.fetch;

import java.util.Optional;

/** A fetched body, whole, with the {@code Content-Type} the server declared for it, if any. */
public record Fetched(byte[] body, Optional<String> contentType) {}
