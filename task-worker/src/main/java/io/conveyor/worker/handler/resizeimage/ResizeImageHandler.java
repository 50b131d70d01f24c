package io.conveyor.worker.handler.resizeimage;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.conveyor.model.payload.ResizeImagePayload;
import io.conveyor.worker.handler.Artifacts;
import io.conveyor.worker.handler.NonRetryableException;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;
import io.quarkus.runtime.configuration.MemorySize;

/**
 * Resizes an image to exactly the requested size and writes it to the artifact directory
 * ({@code CONVEYOR_ARTIFACT_DIR}) as {@code <taskId>.png} or {@code <taskId>.jpg}; the result names that file
 * (relative to the directory) with its size and SHA-256. The file is written under a temporary name and moved into
 * place atomically, so a reader never sees half an image and a rerun of the task replaces it whole.
 *
 * <p><b>Imaging</b> is the JDK's own {@code javax.imageio} and Java 2D: no native library beyond the JDK, no extra
 * dependency. PNG, JPEG, GIF and BMP are read, PNG and JPEG written (JPEG flattened onto white, without alpha).
 * The declared dimensions are read from the header first and an image over {@value #MAX_PIXELS} pixels is refused
 * before its pixels are decoded, so a small file cannot expand into gigabytes.
 *
 * <p><b>Fetching</b> ({@code http}, {@code https}; {@code data:} URIs are decoded in place) guards against
 * server-side request forgery: every address the host resolves to must be public (not loopback, private,
 * link-local, unique-local, CGNAT, unspecified, multicast or reserved) unless {@code CONVEYOR_FETCH_ALLOW_PRIVATE}
 * is true; cloud metadata addresses are refused even then. Redirects are followed here, never by the HTTP client,
 * at most {@value #MAX_REDIRECTS}, each target checked like the first. The whole fetch has one deadline
 * ({@code CONVEYOR_FETCH_TIMEOUT}, 30 s) and the body is capped while it streams ({@code CONVEYOR_FETCH_MAX_BYTES},
 * 20 MiB). Settings live under {@code conveyor-handlers.} (application.properties maps the variables).
 * Limit: the address is checked before the client connects, and the client resolves the name again; the JVM's
 * address cache (30 s by default) makes both see the same answer, but a name whose cache entry expires in between
 * could be re-pointed (DNS rebinding). Deployments that must exclude that also block private ranges at the network.
 *
 * <p><b>Failures</b>: a refused address, a 4xx answer (but 408 and 429), an oversized body, an undecodable or
 * oversized image are permanent ({@link NonRetryableException}); network errors, timeouts, 5xx, 408 and 429 are
 * retried.
 */
@ApplicationScoped
public class ResizeImageHandler implements TaskHandler<ResizeImagePayload> {

    /** Largest image, by declared width × height, that is decoded: 50 megapixels (200 MB as ARGB). */
    static final long MAX_PIXELS = 50_000_000L;

    static final int MAX_REDIRECTS = 5;
    private static final Set<String> READABLE = Set.of("png", "jpeg", "gif", "bmp");

    /** The task's result. {@code artifact} is the file's name inside the artifact directory. */
    public record Resized(String artifact, int width, int height, long bytes, String sha256) {}

    private final Network network;
    private final Artifacts artifacts;
    private final boolean allowPrivate;
    private final long maxBytes;
    private final Duration timeout;

    public ResizeImageHandler(
            Network network,
            Artifacts artifacts,
            @ConfigProperty(name = "conveyor-handlers.fetch.allow-private", defaultValue = "false")
                    boolean allowPrivate,
            @ConfigProperty(name = "conveyor-handlers.fetch.max-bytes", defaultValue = "20M") MemorySize maxBytes,
            @ConfigProperty(name = "conveyor-handlers.fetch.timeout", defaultValue = "PT30S") Duration timeout) {
        this.network = network;
        this.artifacts = artifacts;
        this.allowPrivate = allowPrivate;
        this.maxBytes = maxBytes.asLongValue();
        this.timeout = timeout;
    }

    @Override
    public Class<ResizeImagePayload> payloadType() {
        return ResizeImagePayload.class;
    }

    @Override
    public Object handle(ResizeImagePayload payload, TaskContext context) throws IOException, InterruptedException {
        byte[] source = payload.source().regionMatches(true, 0, "data:", 0, 5)
                ? DataUri.decode(payload.source(), maxBytes)
                : fetch(payload.source());
        BufferedImage original = Imaging.decode(source);
        boolean alpha =
                "png".equals(payload.format()) && original.getColorModel().hasAlpha();
        BufferedImage resized = Imaging.resize(original, payload.width(), payload.height(), alpha);
        byte[] encoded = Imaging.encode(resized, payload.format());
        String fileName = artifacts.write(context.taskId(), "jpeg".equals(payload.format()) ? "jpg" : "png", encoded);
        return new Resized(fileName, resized.getWidth(), resized.getHeight(), encoded.length, sha256(encoded));
    }

    // ---- fetching --------------------------------------------------------------------------------------------------

    private byte[] fetch(String source) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = httpUri(source, null);
        for (int redirects = 0; ; redirects++) {
            checkAddresses(uri);
            HttpResponse<byte[]> response = send(uri, deadline);
            int status = response.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                if (redirects == MAX_REDIRECTS) {
                    throw new NonRetryableException(
                            "More than " + MAX_REDIRECTS + " redirects fetching " + describe(uri));
                }
                URI from = uri;
                String location = response.headers()
                        .firstValue("Location")
                        .orElseThrow(() -> new NonRetryableException(
                                "HTTP " + status + " without a Location from " + describe(from)));
                uri = httpUri(location, from);
                continue;
            }
            if (status >= 200 && status < 300) {
                return response.body();
            }
            if (status >= 500 || status == 408 || status == 429) {
                throw new IOException("HTTP " + status + " from " + describe(uri));
            }
            throw new NonRetryableException("HTTP " + status + " from " + describe(uri));
        }
    }

    /** {@code text} as an absolute http(s) URI, resolved against {@code base} (a redirect's Location) if given. */
    private static URI httpUri(String text, URI base) {
        URI uri;
        try {
            // URI.resolve drops the slash between a path-less base (http://host) and a relative reference.
            uri = base == null
                    ? new URI(text)
                    : (base.getRawPath() == null || base.getRawPath().isEmpty() ? base.resolve("/") : base)
                            .resolve(new URI(text));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new NonRetryableException(
                    "Not a valid URI" + (base == null ? "" : " in a redirect") + ": " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new NonRetryableException(
                    (base == null ? "Source" : "Redirect target") + " must be http or https, not '" + scheme + "'");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new NonRetryableException("URI needs a host name and no user info: " + describe(uri));
        }
        return uri;
    }

    private void checkAddresses(URI uri) throws UnknownHostException {
        for (InetAddress address : network.resolve(uri.getHost())) {
            String refusal = AddressPolicy.refusal(address, allowPrivate);
            if (refusal != null) {
                throw new NonRetryableException("Refusing to fetch " + describe(uri) + ": " + uri.getHost()
                        + " resolves to " + address.getHostAddress() + ", " + refusal);
            }
        }
    }

    private HttpResponse<byte[]> send(URI uri, long deadline) throws IOException, InterruptedException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new HttpTimeoutException("Fetch timed out after " + timeout + " (redirects included)");
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .GET()
                .timeout(Duration.ofNanos(remaining))
                .header("Accept", "image/png, image/jpeg, image/*;q=0.8")
                .build();
        CompletableFuture<HttpResponse<byte[]>> answer = network.client().sendAsync(request, this::bodyOf);
        try {
            // The request timeout covers the headers only; this deadline also covers a body that trickles in.
            return answer.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("No complete answer from " + describe(uri) + " within " + timeout);
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    private HttpResponse.BodySubscriber<byte[]> bodyOf(HttpResponse.ResponseInfo info) {
        if (info.statusCode() < 200 || info.statusCode() >= 300) {
            return CappedBody.discarding();
        }
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        return declared > maxBytes
                ? CappedBody.refusing("The source declares " + declared + " bytes, over the limit of " + maxBytes)
                : new CappedBody(maxBytes);
    }

    private static IOException rethrown(Throwable cause) {
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof NonRetryableException permanent) {
            throw permanent;
        }
        return cause instanceof IOException io ? io : new IOException(cause);
    }

    /** A URI fit for an error message: no query or fragment, which may carry credentials (signed URLs). */
    private static String describe(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (path.length() > 200 ? path.substring(0, 200) + "..." : path);
    }

    /**
     * DNS and HTTP as the fetcher meets them: a bean only so that a test can stand in for the outside world (a name
     * that resolves to a public address, served by a local proxy). The client never follows redirects itself.
     */
    @ApplicationScoped
    static class Network {

        private final HttpClient client;

        Network(@ConfigProperty(name = "conveyor-handlers.fetch.timeout", defaultValue = "PT30S") Duration timeout) {
            this.client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(timeout)
                    .build();
        }

        InetAddress[] resolve(String host) throws UnknownHostException {
            return InetAddress.getAllByName(host);
        }

        HttpClient client() {
            return client;
        }
    }

    /** Which addresses a fetch may reach. Pure. */
    static final class AddressPolicy {

        private AddressPolicy() {}

        /** Why the fetcher must not connect to {@code address}, or {@code null} when it may. */
        static String refusal(InetAddress address, boolean allowPrivate) {
            if (isMetadata(address)) {
                return "a cloud metadata address (always refused)";
            }
            String kind = nonPublicKind(address);
            return kind == null || allowPrivate
                    ? null
                    : "a " + kind + " address (CONVEYOR_FETCH_ALLOW_PRIVATE=true allows it)";
        }

        static boolean isMetadata(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length == 4) {
                return (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254 && (b[2] & 0xff) == 169 && (b[3] & 0xff) == 254;
            }
            InetAddress embedded = embeddedIpv4(b);
            if (embedded != null) {
                return isMetadata(embedded);
            }
            // fd00:ec2::254, AWS's IPv6 instance metadata service.
            return u16(b, 0) == 0xfd00
                    && u16(b, 2) == 0x0ec2
                    && u16(b, 4) == 0
                    && u16(b, 6) == 0
                    && u16(b, 8) == 0
                    && u16(b, 10) == 0
                    && u16(b, 12) == 0
                    && u16(b, 14) == 0x0254;
        }

        /** The kind of a non-public address ("loopback", "private", ...), or {@code null} for a public one. */
        static String nonPublicKind(InetAddress address) {
            if (address.isAnyLocalAddress()) {
                return "unspecified";
            }
            if (address.isLoopbackAddress()) {
                return "loopback";
            }
            if (address.isLinkLocalAddress()) {
                return "link-local";
            }
            if (address.isSiteLocalAddress()) {
                return "private";
            }
            if (address.isMulticastAddress()) {
                return "multicast";
            }
            byte[] b = address.getAddress();
            return b.length == 4 ? ipv4Kind(b) : ipv6Kind(b);
        }

        private static String ipv4Kind(byte[] b) {
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            int a2 = b[2] & 0xff;
            if (a0 == 0) {
                return "unspecified (0.0.0.0/8)";
            }
            if (a0 == 100 && (a1 & 0xc0) == 64) {
                return "shared (CGNAT 100.64.0.0/10)";
            }
            if (a0 >= 240) {
                return "reserved (240.0.0.0/4)";
            }
            if (a0 == 192 && a1 == 0 && a2 == 0) {
                return "reserved (192.0.0.0/24)";
            }
            if (a0 == 198 && (a1 == 18 || a1 == 19)) {
                return "benchmarking (198.18.0.0/15)";
            }
            if ((a0 == 192 && a1 == 0 && a2 == 2)
                    || (a0 == 198 && a1 == 51 && a2 == 100)
                    || (a0 == 203 && a1 == 0 && a2 == 113)) {
                return "documentation (TEST-NET)";
            }
            return null;
        }

        private static String ipv6Kind(byte[] b) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "private (unique local fc00::/7)";
            }
            InetAddress embedded = embeddedIpv4(b);
            if (embedded != null) {
                String kind = nonPublicKind(embedded);
                return kind == null ? null : kind + " (IPv4 " + embedded.getHostAddress() + " inside IPv6)";
            }
            if (u16(b, 0) == 0x2001 && u16(b, 2) == 0x0db8) {
                return "documentation (2001:db8::/32)";
            }
            if (u16(b, 0) == 0x0100 && u16(b, 2) == 0 && u16(b, 4) == 0 && u16(b, 6) == 0) {
                return "discard-only (100::/64)";
            }
            return null;
        }

        /** The IPv4 address inside an IPv4-compatible (::/96), mapped (::ffff:0:0/96), NAT64 or 6to4 address. */
        private static InetAddress embeddedIpv4(byte[] b) {
            if (b.length != 16) {
                return null;
            }
            int offset = -1;
            boolean zeroPrefix = true;
            for (int i = 0; i < 10; i++) {
                zeroPrefix &= b[i] == 0;
            }
            if (zeroPrefix && ((b[10] == 0 && b[11] == 0) || ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff))) {
                offset = 12;
            } else if (u16(b, 0) == 0x0064
                    && u16(b, 2) == 0xff9b
                    && u16(b, 4) == 0
                    && u16(b, 6) == 0
                    && u16(b, 8) == 0
                    && u16(b, 10) == 0) {
                offset = 12;
            } else if (u16(b, 0) == 0x2002) {
                offset = 2;
            }
            if (offset < 0) {
                return null;
            }
            byte[] v4 = {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]};
            try {
                return InetAddress.getByAddress(v4);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("four bytes are always an IPv4 address", e);
            }
        }

        private static int u16(byte[] b, int i) {
            return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
    }

    /** Collects a response body as it streams in, failing (and cancelling the download) once it passes a cap. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final long max;
        private final String refusal;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        CappedBody(long max) {
            this(max, null);
        }

        private CappedBody(long max, String refusal) {
            this.max = max;
            this.refusal = refusal;
        }

        /** Reads nothing and fails: the body was announced too large. */
        static CappedBody refusing(String reason) {
            return new CappedBody(0, reason);
        }

        /** Reads nothing: only the status of this answer matters. */
        static CappedBody discarding() {
            return new CappedBody(0, "");
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (refusal != null) {
                subscription.cancel();
                if (refusal.isEmpty()) {
                    body.complete(new byte[0]);
                } else {
                    body.completeExceptionally(new NonRetryableException(refusal));
                }
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (buffer.size() + (long) item.remaining() > max) {
                    subscription.cancel();
                    body.completeExceptionally(
                            new NonRetryableException("The source is larger than " + max + " bytes"));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                buffer.write(chunk, 0, chunk.length);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(buffer.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }
    }

    /** {@code data:[<media type>][;base64],<data>} (RFC 2397), decoded within the same byte limit as a download. */
    static final class DataUri {

        private DataUri() {}

        static byte[] decode(String uri, long maxBytes) {
            int comma = uri.indexOf(',');
            if (comma < 0) {
                throw new NonRetryableException("A data: URI needs a comma before its data");
            }
            boolean base64 = uri.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64");
            String data = uri.substring(comma + 1);
            if (base64) {
                String text = percentDecode(data, data.length())
                        .toString(StandardCharsets.US_ASCII)
                        .replaceAll("\\s", "");
                if (text.length() / 4 * 3L > maxBytes + 2) {
                    throw new NonRetryableException("The data: URI holds more than " + maxBytes + " bytes");
                }
                try {
                    byte[] bytes = (text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                                    ? Base64.getUrlDecoder()
                                    : Base64.getDecoder())
                            .decode(text);
                    if (bytes.length > maxBytes) {
                        throw new NonRetryableException("The data: URI holds more than " + maxBytes + " bytes");
                    }
                    return bytes;
                } catch (IllegalArgumentException e) {
                    throw new NonRetryableException("The data: URI is not valid base64: " + e.getMessage());
                }
            }
            return percentDecode(data, maxBytes).toByteArray();
        }

        /** %XX escapes to bytes, other characters as UTF-8; never more than {@code maxBytes}. */
        private static ByteArrayOutputStream percentDecode(String data, long maxBytes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(data.length(), 1 << 16));
            for (int i = 0; i < data.length(); i++) {
                char c = data.charAt(i);
                if (c == '%') {
                    int hi = i + 2 < data.length() ? Character.digit(data.charAt(i + 1), 16) : -1;
                    int lo = hi < 0 ? -1 : Character.digit(data.charAt(i + 2), 16);
                    if (lo < 0) {
                        throw new NonRetryableException("The data: URI has a bad %-escape at character " + i);
                    }
                    out.write(hi << 4 | lo);
                    i += 2;
                } else if (c < 0x80) {
                    out.write(c);
                } else {
                    int codePoint = data.codePointAt(i);
                    out.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                    i += Character.charCount(codePoint) - 1;
                }
                if (out.size() > maxBytes) {
                    throw new NonRetryableException("The data: URI holds more than " + maxBytes + " bytes");
                }
            }
            return out;
        }
    }

    /** Decoding, scaling and encoding with ImageIO and Java 2D, in memory (no ImageIO disk cache). */
    static final class Imaging {

        private Imaging() {}

        /** The first image in {@code bytes}; refused (permanently) when undecodable or over {@link #MAX_PIXELS}. */
        static BufferedImage decode(byte[] bytes) {
            try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
                ImageReader reader = readerFor(in);
                try {
                    reader.setInput(in, true, true);
                    // Reads the header only: the budget is enforced before any pixel is decoded.
                    long width = reader.getWidth(0);
                    long height = reader.getHeight(0);
                    if (width * height > MAX_PIXELS) {
                        throw new NonRetryableException("The image is " + width + "x" + height + ", over the budget of "
                                + MAX_PIXELS + " pixels");
                    }
                    return reader.read(0);
                } finally {
                    reader.dispose();
                }
            } catch (NonRetryableException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                // ImageIO plugins answer garbage with IIOException and assorted runtime exceptions alike.
                throw new NonRetryableException("Corrupt or undecodable image: " + e, e);
            }
        }

        private static ImageReader readerFor(ImageInputStream in) {
            for (Iterator<ImageReader> readers = ImageIO.getImageReaders(in); readers.hasNext(); ) {
                ImageReader reader = readers.next();
                try {
                    if (READABLE.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
                        return reader;
                    }
                } catch (IOException e) {
                    // A plugin that cannot name its format is not one we read.
                }
                reader.dispose();
            }
            throw new NonRetryableException("Not a PNG, JPEG, GIF or BMP image");
        }

        /**
         * {@code source} scaled to exactly {@code width} x {@code height}, as ARGB if {@code alpha} else as RGB on
         * white. Large reductions halve in steps first: one bilinear pass would skip source pixels and alias.
         */
        static BufferedImage resize(BufferedImage source, int width, int height, boolean alpha) {
            BufferedImage current = source;
            do {
                int w = current.getWidth() > width * 2 ? current.getWidth() / 2 : width;
                int h = current.getHeight() > height * 2 ? current.getHeight() / 2 : height;
                BufferedImage next =
                        new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
                Graphics2D g = next.createGraphics();
                try {
                    if (!alpha) {
                        g.setColor(Color.WHITE);
                        g.fillRect(0, 0, w, h);
                    }
                    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                    g.drawImage(current, 0, 0, w, h, null);
                } finally {
                    g.dispose();
                }
                current = next;
            } while (current.getWidth() != width || current.getHeight() != height);
            return current;
        }

        /** {@code png} or {@code jpeg} (quality 0.9) bytes. */
        static byte[] encode(BufferedImage image, String format) throws IOException {
            ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(stream);
                ImageWriteParam param = writer.getDefaultWriteParam();
                if ("jpeg".equals(format)) {
                    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionQuality(0.9f);
                }
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
            return out.toByteArray();
        }
    }

    // ---- the artifact ----------------------------------------------------------------------------------------------

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
