package io.conveyor.worker.handler.fetch;

import java.time.Duration;

import io.conveyor.config.AtLeast;
import io.conveyor.config.AtMost;
import io.conveyor.config.NoShorterThan;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/** Settings of the SSRF-safe fetcher; application.properties maps the {@code CONVEYOR_FETCH_*} variables onto them. */
@ConfigMapping(prefix = "conveyor.fetch")
public interface FetchConfig {

    /** Largest body a fetch may hold: it is collected into one byte array. */
    long MAX_BODY_BYTES = Integer.MAX_VALUE - 8;

    /**
     * Also fetch from loopback, private, link-local and other non-public addresses; cloud metadata addresses stay
     * refused. {@code CONVEYOR_FETCH_ALLOW_PRIVATE}, false by default.
     */
    @WithDefault("false")
    boolean allowPrivate();

    /**
     * Largest body fetched (or held in a {@code data:} URI), as a size such as {@code 20M}: 1 byte to 2 GiB less 8
     * bytes. {@code CONVEYOR_FETCH_MAX_BYTES}, 20 MiB by default.
     */
    @WithDefault("20M")
    @WithConverter(ByteSizeConverter.class)
    @AtLeast(1)
    @AtMost(MAX_BODY_BYTES)
    long maxBytes();

    /**
     * One deadline for a whole fetch, redirects and body included; also the connect timeout. At least 1 ms.
     * {@code CONVEYOR_FETCH_TIMEOUT}, 30 s by default.
     */
    @WithDefault("PT30S")
    @NoShorterThan("PT0.001S")
    Duration timeout();
}
