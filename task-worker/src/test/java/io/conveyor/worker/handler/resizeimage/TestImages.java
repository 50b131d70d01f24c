package io.conveyor.worker.handler.resizeimage;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

import io.conveyor.model.result.ImageResized;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generated source images and the checks every resize result must pass, made with the JDK's ImageIO. */
final class TestImages {

    private TestImages() {}

    /** Left half red, right half blue; with {@code alpha}, the bottom quarter is fully transparent. */
    static byte[] halvesPng(int width, int height, boolean alpha) {
        BufferedImage image =
                new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        if (alpha) {
            for (int y = height * 3 / 4; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    image.setRGB(x, y, 0x00000000);
                }
            }
        }
        return png(image);
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Random pixels: they compress badly, so cutting the file in half cuts into the pixel data itself. */
    static byte[] noisePng() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        return png(image);
    }

    static String base64DataUri(byte[] bytes) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** Every byte that is not an unreserved URI character as a %XX escape. */
    static String percentDataUri(byte[] bytes) {
        StringBuilder uri = new StringBuilder("data:image/png,");
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                uri.append(c);
            } else {
                uri.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return uri.toString();
    }

    /** A PNG signature and header declaring {@code width} x {@code height}, with no pixel data at all. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer chunk = ByteBuffer.allocate(17);
        chunk.put("IHDR".getBytes(StandardCharsets.US_ASCII))
                .putInt(width)
                .putInt(height)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(chunk.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4)
                .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13)
                .put(chunk.array())
                .putInt((int) crc.getValue())
                .array();
    }

    /**
     * Checks a resize result against its artifact: the name, the size and digest of the file, its decoded dimensions
     * and that the red left and blue right halves of the source landed where they belong.
     */
    static BufferedImage assertArtifact(
            Path artifactDir, String taskId, Object result, String extension, int width, int height) throws Exception {
        ImageResized resized = (ImageResized) result;
        assertEquals(taskId + "." + extension, resized.artifact());
        Path file = artifactDir.resolve(resized.artifact());
        assertTrue(Files.isRegularFile(file), "no artifact at " + file.toAbsolutePath());
        assertEquals(Files.size(file), resized.bytes());
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))),
                resized.sha256());
        assertEquals(width, resized.width());
        assertEquals(height, resized.height());
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, "the artifact does not decode");
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        assertColour(Color.RED, image.getRGB(width / 4, height / 4));
        assertColour(Color.BLUE, image.getRGB(width * 3 / 4, height / 4));
        return image;
    }

    /** Equal within a small tolerance: JPEG and scaling shift colours a little. */
    static void assertColour(Color expected, int argb) {
        Color actual = new Color(argb, true);
        int distance = Math.abs(expected.getRed() - actual.getRed())
                + Math.abs(expected.getGreen() - actual.getGreen())
                + Math.abs(expected.getBlue() - actual.getBlue());
        assertTrue(distance < 60, "expected " + expected + " but was " + actual);
    }
}
