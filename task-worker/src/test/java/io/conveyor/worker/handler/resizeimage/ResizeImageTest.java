package io.conveyor.worker.handler.resizeimage;

import java.awt.Color;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Headers;
import io.conveyor.model.Json;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.result.ImageResized;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.testsupport.TaskMessageBuilder;
import io.conveyor.worker.OutcomeRecorder;
import io.conveyor.worker.SmtpServer;
import io.conveyor.worker.handler.fetch.Network;
import io.conveyor.worker.outcome.TaskOutcome;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static io.conveyor.worker.handler.resizeimage.TestImages.assertArtifact;
import static io.conveyor.worker.handler.resizeimage.TestImages.assertColour;
import static io.conveyor.worker.handler.resizeimage.TestImages.assertQuadrants;
import static io.conveyor.worker.handler.resizeimage.TestImages.base64DataUri;
import static io.conveyor.worker.handler.resizeimage.TestImages.percentDataUri;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * resize_image as deployed by default, private addresses refused: images from data: URIs decoded (through the
 * plug-ins as the running worker registered them), turned upright, fitted and encoded for real; corrupt and oversized images dead-lettered at once; every non-public address refused before a connection,
 * on the first hop and on a redirect.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class ResizeImageTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] SOURCE = TestImages.halvesPng(64, 48, true);
    private static final List<String> created = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    private static ImageServer server;

    @Inject
    OutcomeRecorder outcomes;

    @ConfigProperty(name = "conveyor-handlers.artifact-dir")
    Path artifactDir;

    @BeforeAll
    static void start() throws IOException {
        server = new ImageServer(SOURCE);
    }

    @AfterAll
    static void closeServer() {
        server.close();
    }

    @AfterEach
    void deleteArtifacts() throws IOException {
        for (String id : created) {
            Files.deleteIfExists(artifactDir.resolve(id + ".png"));
            Files.deleteIfExists(artifactDir.resolve(id + ".jpg"));
        }
        if (Files.isDirectory(artifactDir)) {
            try (Stream<Path> left = Files.list(artifactDir)) {
                assertEquals(
                        List.of(),
                        left.filter(p -> p.getFileName().toString().endsWith(".tmp"))
                                .toList(),
                        "temporary files left behind");
            }
        }
    }

    @ParameterizedTest(name = "{0} data: URI")
    @ValueSource(strings = {"base64", "percent-encoded"})
    void resizesAPngFromADataUri(String encoding) throws Exception {
        String source = encoding.equals("base64") ? base64DataUri(SOURCE) : percentDataUri(SOURCE);
        String id = publish(resize(source, 32, 24, null));

        TaskOutcome done = last(outcomes.await(id, TaskStatus.SUCCEEDED, WAIT));

        BufferedImage image = assertArtifact(artifactDir, id, done.result(), "png", 32, 24);
        assertTrue(image.getColorModel().hasAlpha(), "a PNG keeps the source's transparency");
        assertEquals(0, image.getRGB(16, 23) >>> 24, "the transparent bottom quarter stays transparent");
    }

    @Test
    void writesJpegWithoutAlphaAndRecordsTheResult() throws Exception {
        String id = publish(resize(base64DataUri(SOURCE), 100, 60, "jpeg"));

        TaskOutcome done = last(outcomes.await(id, TaskStatus.SUCCEEDED, WAIT));

        BufferedImage image = assertArtifact(artifactDir, id, done.result(), "jpg", 100, 60);
        assertFalse(image.getColorModel().hasAlpha());
        assertEquals(3, image.getRaster().getNumBands());
        assertColour(Color.WHITE, image.getRGB(25, 58));
        byte[] file = Files.readAllBytes(artifactDir.resolve(id + ".jpg"));
        assertEquals(0xFFD8, (file[0] & 0xff) << 8 | (file[1] & 0xff), "a JPEG starts with SOI");
        await().atMost(WAIT)
                .until(() -> "SUCCEEDED".equals(services.redis().task(id).get("status")));
        JsonNode result = Json.mapper().readTree(services.redis().task(id).get("result"));
        assertEquals(new TreeSet<>(Set.of("artifact", "width", "height", "bytes", "sha256")), fieldNames(result));
        assertEquals(id + ".jpg", result.get("artifact").asText());
        assertEquals(file.length, result.get("bytes").asLong());
    }

    /**
     * A camera's portrait photo: stored 64 x 48 (landscape, as the sensor reads) with EXIF orientation 6. Shown upright
     * it is 48 x 64, and the box applies to that: contain 30 x 30 gives 23 x 30, cover 20 x 40 exactly that. The
     * quadrants prove the direction: turned clockwise, the stored bottom left (green) is shown top left.
     */
    @ParameterizedTest(name = "{0} {1} x {2}")
    @CsvSource({"contain, 30, 30, 23, 30", "cover, 20, 40, 20, 40"})
    void turnsAnExifRotatedJpegUprightBeforeFittingIt(
            String fit, int width, int height, int expectedWidth, int expectedHeight) throws Exception {
        byte[] jpeg =
                TestImages.withSegment(TestImages.jpeg(TestImages.quadrants(64, 48)), TestImages.exifSegment(6, true));
        String id = publish(resize(base64DataUri(jpeg), width, height, "jpeg", fit, 80));

        ImageResized result = (ImageResized)
                last(outcomes.await(id, TaskStatus.SUCCEEDED, WAIT)).result();

        assertEquals(expectedWidth, result.width());
        assertEquals(expectedHeight, result.height());
        BufferedImage image = ImageIO.read(artifactDir.resolve(id + ".jpg").toFile());
        assertEquals(expectedWidth, image.getWidth());
        assertEquals(expectedHeight, image.getHeight());
        assertQuadrants(image, TestImages.GREEN, Color.RED, Color.YELLOW, Color.BLUE);
    }

    /**
     * Formats that need the TwelveMonkeys plug-ins registered in the running worker: two JPEGs that the JDK's reader
     * refuses, a WebP, and a TIFF. Each comes out as a 32 x 24 PNG with its left and right colours in place.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cmyk-jpeg-with-icc-profile", "rgb-jpeg-with-grey-icc-profile", "webp", "tiff"})
    void readsImagesTheJdkAloneDoesNot(String kind) throws Exception {
        Color right = kind.equals("webp") ? Color.YELLOW : Color.BLUE;
        byte[] source = switch (kind) {
            case "cmyk-jpeg-with-icc-profile" ->
                TestImages.withSegment(
                        TestImages.adobeCmykJpeg(64, 48, false),
                        TestImages.iccSegment(ICC_Profile.getInstance(ColorSpace.CS_sRGB)));
            case "rgb-jpeg-with-grey-icc-profile" ->
                TestImages.withSegment(
                        TestImages.jpeg(TestImages.quadrants(64, 48)),
                        TestImages.iccSegment(ICC_Profile.getInstance(ColorSpace.CS_GRAY)));
            case "webp" -> TestImages.webp(64, 48, Color.RED, Color.YELLOW, 0);
            default -> TestImages.tiff(TestImages.quadrants(64, 48), 0);
        };
        if (kind.contains("jpeg")) {
            assertTrue(TestImages.jdkJpegReaderRefuses(source), "the JDK's own reader should refuse this fixture");
        }
        String id = publish(resize(base64DataUri(source), 32, 24, null));

        ImageResized result = (ImageResized)
                last(outcomes.await(id, TaskStatus.SUCCEEDED, WAIT)).result();

        assertEquals(32, result.width());
        assertEquals(24, result.height());
        BufferedImage image = ImageIO.read(artifactDir.resolve(id + ".png").toFile());
        assertColour(Color.RED, image.getRGB(8, 6));
        assertColour(right, image.getRGB(24, 6));
    }

    /**
     * The readers answering in the running application are the ones its own class loader sees (in test and dev mode a
     * loader of the application's, not the one ImageIO's registry scanned when it started), registered ahead of the
     * JDK's JPEG reader.
     */
    @Test
    void theRunningWorkerReadsThroughPluginsOfItsOwnClassLoader() throws ClassNotFoundException {
        Imaging.decode(TestImages.webp(4, 4, Color.RED, Color.RED, 0));

        for (String format : List.of("jpeg", "webp", "tiff")) {
            ImageReader reader = ImageIO.getImageReadersByFormatName(format).next();
            try {
                assertTrue(
                        reader.getClass().getName().startsWith("com.twelvemonkeys."),
                        format + ": " + reader.getClass().getName());
                // The very class the application's loader resolves (its dependencies may sit in a parent loader).
                assertSame(
                        Class.forName(reader.getClass().getName(), false, Imaging.class.getClassLoader()),
                        reader.getClass(),
                        format);
            } finally {
                reader.dispose();
            }
        }
    }

    @Test
    void deadLettersBytesThatAreNoImageAfterOneAttempt() {
        var task = resize(base64DataUri("this is not an image".getBytes(StandardCharsets.UTF_8)), 10, 10, null)
                .withMaxAttempts(5);
        publish(task);

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertPermanent(dead, task.id(), "Not a PNG, JPEG, WebP, TIFF, GIF or BMP image");
    }

    @Test
    void deadLettersATruncatedPngAfterOneAttempt() {
        byte[] noise = TestImages.noisePng();
        var task = resize(base64DataUri(Arrays.copyOf(noise, noise.length / 2)), 10, 10, null)
                .withMaxAttempts(5);
        publish(task);

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertPermanent(dead, task.id(), "Corrupt or undecodable image");
    }

    @Test
    void refusesAnImageOverThePixelBudgetBeforeDecodingIt() {
        // Only a header: decoding would fail as corrupt, so this message proves the budget is checked first.
        var task = resize(base64DataUri(TestImages.pngHeaderOnly(10_000, 10_000)), 10, 10, null)
                .withMaxAttempts(5);
        publish(task);

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertPermanent(dead, task.id(), "10000x10000, over the budget of 50000000 pixels");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "http://127.0.0.1:PORT/cat.png",
                "http://localhost:PORT/cat.png",
                "http://[::1]:PORT/cat.png",
                "http://[::ffff:127.0.0.1]:PORT/cat.png",
                "http://0.0.0.0:PORT/cat.png",
                "https://10.0.0.1/cat.png",
                "http://172.16.0.1/cat.png",
                "http://192.168.0.1/cat.png",
                "http://100.64.0.1/cat.png",
                "http://[fd12:3456::1]/cat.png",
                "http://169.254.169.254/latest/meta-data/",
                "http://[fd00:ec2::254]/latest/meta-data/",
            })
    void refusesANonPublicAddressWithoutConnecting(String template) {
        int before = server.requests().size();
        var task = resize(template.replace("PORT", String.valueOf(server.port())), 10, 10, null)
                .withMaxAttempts(5);
        publish(task);

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertPermanent(dead, task.id(), "Refusing to fetch");
        assertEquals(before, server.requests().size(), "the local server was contacted");
    }

    @Test
    void fetchesFromAPublicHost() throws Exception {
        QuarkusMock.installMockForType(new PublicHostBehindLocalProxy(server), Network.class);
        String id = publish(resize("http://images.example/cat.png", 32, 24, null));

        TaskOutcome done = last(outcomes.await(id, TaskStatus.SUCCEEDED, WAIT));

        assertArtifact(artifactDir, id, done.result(), "png", 32, 24);
    }

    @Test
    void refusesARedirectFromAPublicHostToALoopbackAddress() {
        QuarkusMock.installMockForType(new PublicHostBehindLocalProxy(server), Network.class);
        long images = server.requestsTo("/cat.png");
        var task = resize("http://images.example/to-loopback", 10, 10, null).withMaxAttempts(5);
        publish(task);

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertPermanent(dead, task.id(), "127.0.0.1, a loopback address");
        assertEquals(1, server.requestsTo("/to-loopback"), "the first hop, public, was fetched");
        assertEquals(images, server.requestsTo("/cat.png"), "the redirect target was fetched");
    }

    /**
     * The outside world in miniature: {@code images.example} resolves to a public address and is reached through the
     * local server acting as an HTTP proxy; every other name resolves as usual.
     */
    static final class PublicHostBehindLocalProxy extends Network {

        private final HttpClient client;

        PublicHostBehindLocalProxy(ImageServer proxy) {
            super(Duration.ofSeconds(5));
            client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .proxy(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port())))
                    .build();
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return host.equals("images.example")
                    ? new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34})}
                    : super.resolve(host);
        }

        @Override
        public HttpClient client() {
            return client;
        }
    }

    private void assertPermanent(GetResponse dead, String id, String message) {
        assertEquals("non-retryable", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertEquals("1", LocalBroker.header(dead, Headers.ATTEMPT));
        assertEquals("io.conveyor.worker.handler.NonRetryableException", LocalBroker.header(dead, Headers.ERROR_CLASS));
        String error = LocalBroker.header(dead, Headers.ERROR_MESSAGE);
        assertTrue(error.contains(message), error);
        // The dead letter is confirmed before the outcome is announced: wait for the announcement.
        assertEquals(
                List.of(TaskStatus.DEAD),
                outcomes.await(id, TaskStatus.DEAD, WAIT).stream()
                        .map(TaskOutcome::status)
                        .toList(),
                "a permanent failure runs once");
    }

    static TaskMessageBuilder resize(String source, int width, int height, String format) {
        return resize(source, width, height, format, null, null);
    }

    static TaskMessageBuilder resize(String source, int width, int height, String format, String fit, Integer quality) {
        ObjectNode payload = Json.mapper()
                .createObjectNode()
                .put("source", source)
                .put("width", width)
                .put("height", height);
        if (format != null) {
            payload.put("format", format);
        }
        if (fit != null) {
            payload.put("fit", fit);
        }
        if (quality != null) {
            payload.put("quality", quality);
        }
        return aTask().ofType("resize_image").withPayload(payload.toString());
    }

    private static String publish(TaskMessageBuilder task) {
        services.track(task.id());
        created.add(task.id());
        return task.publishTo(services.broker());
    }

    private static TaskOutcome last(List<TaskOutcome> history) {
        return history.get(history.size() - 1);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
