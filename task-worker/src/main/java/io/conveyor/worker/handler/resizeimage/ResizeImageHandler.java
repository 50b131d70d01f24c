package io.conveyor.worker.handler.resizeimage;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.Digests;
import io.conveyor.model.payload.ResizeImagePayload;
import io.conveyor.model.result.ImageResized;
import io.conveyor.worker.handler.Artifacts;
import io.conveyor.worker.handler.NonRetryableException;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;
import io.conveyor.worker.handler.Workload;
import io.conveyor.worker.handler.fetch.FetchConfig;
import io.conveyor.worker.handler.fetch.FetchRefusedException;
import io.conveyor.worker.handler.fetch.FetchStatusException;
import io.conveyor.worker.handler.fetch.SafeFetcher;

/**
 * Turns an image upright (its EXIF orientation), fits it to the requested size (stretched, contained or covered) and
 * writes it to the artifact directory
 * ({@code CONVEYOR_ARTIFACT_DIR}) as {@code <taskId>.png} or {@code <taskId>.jpg}; the result names that file
 * (relative to the directory) with its size and SHA-256. The file is written under a temporary name and moved into
 * place atomically, so a reader never sees half an image and a rerun of the task replaces it whole.
 *
 * <p>The source is a {@code data:} URI ({@link DataUri}) or is fetched over http(s) by the {@link SafeFetcher}, with
 * the byte cap ({@code CONVEYOR_FETCH_MAX_BYTES}) and deadline ({@code CONVEYOR_FETCH_TIMEOUT}) of {@link
 * FetchConfig}; {@link Imaging} decodes, scales and encodes it.
 *
 * <p><b>Failures</b>: a refused address, a 4xx answer (but 408 and 429), an oversized body, an undecodable or
 * oversized image are permanent ({@link NonRetryableException}); network errors, timeouts, 5xx, 408 and 429 are
 * retried.
 *
 * <p>{@link Workload#CPU_BOUND}: decoding, scaling and encoding dominate, so it keeps a platform thread.
 */
@ApplicationScoped
public class ResizeImageHandler implements TaskHandler<ResizeImagePayload> {

    /** What a fetch asks for: the formats {@link Imaging} reads, PNG and JPEG preferred. */
    static final String ACCEPT = "image/png, image/jpeg, image/*;q=0.8";

    /** The task's result. {@code artifact} is the file's name inside the artifact directory. */
    private final SafeFetcher fetcher;

    private final Artifacts artifacts;
    private final long maxBytes;
    private final Duration timeout;

    public ResizeImageHandler(SafeFetcher fetcher, Artifacts artifacts, FetchConfig config) {
        this.fetcher = fetcher;
        this.artifacts = artifacts;
        this.maxBytes = config.maxBytes();
        this.timeout = config.timeout();
    }

    @Override
    public Class<ResizeImagePayload> payloadType() {
        return ResizeImagePayload.class;
    }

    @Override
    public Workload workload() {
        return Workload.CPU_BOUND;
    }

    @Override
    public ImageResized handle(ResizeImagePayload payload, TaskContext context)
            throws IOException, InterruptedException {
        context.progress(0, STEPS, "fetching the source");
        byte[] source = payload.source().regionMatches(true, 0, "data:", 0, 5)
                ? DataUri.decode(payload.source(), maxBytes)
                : fetch(payload.source());
        context.progress(1, STEPS, "decoding " + source.length + " bytes");
        BufferedImage original = Imaging.decode(source);
        context.progress(2, STEPS, "resizing " + original.getWidth() + "x" + original.getHeight());
        boolean alpha =
                "png".equals(payload.format()) && original.getColorModel().hasAlpha();
        BufferedImage resized = Imaging.fit(
                original,
                Orientation.of(source),
                payload.width(),
                payload.height(),
                Imaging.Fit.of(payload.fit()),
                alpha);
        int quality = payload.quality() == null ? ResizeImagePayload.DEFAULT_QUALITY : payload.quality();
        context.progress(3, STEPS, "encoding " + payload.format());
        byte[] encoded = Imaging.encode(resized, payload.format(), quality);
        String fileName = artifacts.write(context.taskId(), "jpeg".equals(payload.format()) ? "jpg" : "png", encoded);
        return new ImageResized(
                fileName, resized.getWidth(), resized.getHeight(), encoded.length, Digests.sha256(encoded));
    }

    /** The steps reported as progress: fetch, decode, resize, encode. */
    static final int STEPS = 4;

    /** The source's bytes; a refusal, or a status that will not change, is permanent. */
    private byte[] fetch(String source) throws IOException, InterruptedException {
        URI uri;
        try {
            uri = new URI(source);
        } catch (URISyntaxException e) {
            throw new NonRetryableException("Not a valid URI: " + e.getMessage());
        }
        try {
            return fetcher.fetch(uri, ACCEPT, maxBytes, timeout).body();
        } catch (FetchRefusedException e) {
            throw new NonRetryableException(e.getMessage(), e);
        } catch (FetchStatusException e) {
            if (e.retryable()) {
                throw new IOException(e.getMessage(), e);
            }
            throw new NonRetryableException(e.getMessage(), e);
        }
    }
}
