package io.conveyor.gateway.rest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.resteasy.reactive.PathPart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.artifact.StoredArtifact;
import io.conveyor.model.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The artifact route's header rules, without a server. */
class ArtifactHeadersTest {

    private static final String SHA = "ab".repeat(32);
    private static final Instant MODIFIED = Instant.parse("2026-12-02T17:00:00Z");

    /** An artifact kept elsewhere than on this machine (as an object store's would be), or in {@code file}. */
    private record Remote(byte[] content, Path file) implements StoredArtifact {

        Remote(byte[] content) {
            this(content, null);
        }

        @Override
        public String name() {
            return "x.bin";
        }

        @Override
        public long size() {
            return content.length;
        }

        @Override
        public Instant lastModified() {
            return MODIFIED;
        }

        @Override
        public InputStream open(long offset, long length) {
            return new ByteArrayInputStream(
                    Arrays.copyOfRange(content, (int) offset, (int) Math.min(content.length, offset + length)));
        }

        @Override
        public Optional<Path> localFile() {
            return Optional.ofNullable(file);
        }
    }

    @Test
    void theEtagIsTheResultsDigestWhileTheFileHasItsRecordedSize() throws IOException {
        Remote ten = new Remote(new byte[10]);
        assertEquals("\"" + SHA + "\"", ArtifactHeaders.etag(json("{\"sha256\":\"" + SHA + "\",\"bytes\":10}"), ten));
        assertEquals("\"" + SHA + "\"", ArtifactHeaders.etag(json("{\"sha256\":\"" + SHA.toUpperCase() + "\"}"), ten));
        String derived = "\"a-" + Long.toHexString(MODIFIED.toEpochMilli()) + "\"";
        assertEquals(derived, ArtifactHeaders.etag(json("{\"sha256\":\"" + SHA + "\",\"bytes\":11}"), ten));
        assertEquals(derived, ArtifactHeaders.etag(json("{\"sha256\":\"not-hex\"}"), ten));
        assertEquals(derived, ArtifactHeaders.etag(json("{\"rows\":3}"), ten));
    }

    @Test
    void ifNoneMatchComparesWeaklyAndTakesAListOrAStar() {
        String etag = "\"" + SHA + "\"";
        assertTrue(ArtifactHeaders.matchesAny(etag, etag));
        assertTrue(ArtifactHeaders.matchesAny("\"other\", W/" + etag, etag));
        assertTrue(ArtifactHeaders.matchesAny("*", etag));
        assertFalse(ArtifactHeaders.matchesAny("\"other\"", etag));
        assertFalse(ArtifactHeaders.matchesAny(SHA, etag));
    }

    @Test
    void ifRangeHoldsOnlyForTheSameFile() {
        String etag = "\"" + SHA + "\"";
        assertTrue(ArtifactHeaders.ifRangeHolds(null, etag, MODIFIED));
        assertTrue(ArtifactHeaders.ifRangeHolds(etag, etag, MODIFIED));
        assertFalse(ArtifactHeaders.ifRangeHolds("W/" + etag, etag, MODIFIED), "If-Range compares strongly");
        assertFalse(ArtifactHeaders.ifRangeHolds("\"other\"", etag, MODIFIED));
        assertTrue(ArtifactHeaders.ifRangeHolds("Wed, 02 Dec 2026 17:00:00 GMT", etag, MODIFIED));
        assertFalse(ArtifactHeaders.ifRangeHolds("Wed, 02 Dec 2026 17:00:01 GMT", etag, MODIFIED));
        assertFalse(ArtifactHeaders.ifRangeHolds("yesterday", etag, MODIFIED));
    }

    @Test
    void typesByExtension() {
        assertEquals("image/png", ArtifactHeaders.contentType("a.png"));
        assertEquals("image/jpeg", ArtifactHeaders.contentType("a.JPG"));
        assertEquals("image/jpeg", ArtifactHeaders.contentType("a.jpeg"));
        assertEquals("text/csv; charset=utf-8", ArtifactHeaders.contentType("a.csv"));
        assertEquals("text/html; charset=utf-8", ArtifactHeaders.contentType("a.html"));
        assertEquals("application/json", ArtifactHeaders.contentType("a.json"));
        assertEquals("application/jsonl", ArtifactHeaders.contentType("a.jsonl"));
        assertEquals("application/octet-stream", ArtifactHeaders.contentType("noextension"));
    }

    @Test
    void namesTheFileForTheDownload() {
        assertEquals("attachment; filename=\"a b.csv\"", ArtifactHeaders.contentDisposition("a b.csv"));
        assertEquals(
                "attachment; filename=\"r_sum_.csv\"; filename*=UTF-8''r%C3%A9sum%C3%A9.csv",
                ArtifactHeaders.contentDisposition("résumé.csv"));
    }

    @Test
    void aLocalFileIsSentAndARemoteOneStreamed(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("x.bin"), new byte[10]);
        PathPart part = assertInstanceOf(PathPart.class, ArtifactResource.body(new Remote(new byte[10], file), 2, 3));
        assertEquals(file, part.file);
        assertEquals(2, part.offset);
        assertEquals(3, part.count);

        byte[] content = "0123456789".getBytes(StandardCharsets.US_ASCII);
        StreamingOutput stream =
                assertInstanceOf(StreamingOutput.class, ArtifactResource.body(new Remote(content), 2, 3));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stream.write(out);
        assertEquals("234", out.toString(StandardCharsets.US_ASCII));
    }

    private static JsonNode json(String text) throws IOException {
        return Json.mapper().readTree(text);
    }
}
