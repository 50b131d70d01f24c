package io.conveyor.worker.handler.resizeimage;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

import io.conveyor.model.result.ImageResized;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated source images and the checks every resize result must pass, made with the JDK's ImageIO, and bytes put
 * together by hand where the JDK writes no such file: EXIF blocks, Adobe CMYK and YCCK JPEGs, ICC profile segments,
 * lossless WebP. No binary fixture is checked in.
 */
final class TestImages {

    static final Color GREEN = new Color(0, 200, 0);

    private TestImages() {}

    /** Top left red, top right blue, bottom left green, bottom right yellow: any turn or mirror shows. */
    static BufferedImage quadrants(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 2, height / 2);
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height / 2);
        g.setColor(GREEN);
        g.fillRect(0, height / 2, width / 2, height - height / 2);
        g.setColor(Color.YELLOW);
        g.fillRect(width / 2, height / 2, width - width / 2, height - height / 2);
        g.dispose();
        return image;
    }

    /** The four quadrant colours of an image, in reading order, each sampled at its quadrant's centre. */
    static void assertQuadrants(
            BufferedImage image, Color topLeft, Color topRight, Color bottomLeft, Color bottomRight) {
        int w = image.getWidth();
        int h = image.getHeight();
        assertColour(topLeft, image.getRGB(w / 4, h / 4));
        assertColour(topRight, image.getRGB(w * 3 / 4, h / 4));
        assertColour(bottomLeft, image.getRGB(w / 4, h * 3 / 4));
        assertColour(bottomRight, image.getRGB(w * 3 / 4, h * 3 / 4));
    }

    /** A baseline JFIF JPEG of {@code image}, by the JDK's own writer. */
    static byte[] jpeg(BufferedImage image) {
        return write(image, "jpeg");
    }

    /** A TIFF of {@code image} by the JDK's own writer, with an Orientation field unless {@code orientation} is 0. */
    static byte[] tiff(BufferedImage image, int orientation) {
        ImageWriter writer = jdkPlugin(ImageIO.getImageWritersByFormatName("tiff"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
            if (orientation != 0) {
                TIFFDirectory directory = TIFFDirectory.createFromMetadata(metadata);
                directory.addTIFFField(new TIFFField(
                        BaselineTIFFTagSet.getInstance().getTag(BaselineTIFFTagSet.TAG_ORIENTATION),
                        TIFFTag.TIFF_SHORT,
                        1,
                        new char[] {(char) orientation}));
                metadata = directory.getAsMetadata();
            }
            writer.write(null, new IIOImage(image, null, metadata), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** {@code jpeg} with {@code segment} (a whole marker segment) inserted right after its SOI marker. */
    static byte[] withSegment(byte[] jpeg, byte[] segment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(segment);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A marker segment: FF, the marker, a length counting itself, the data. */
    static byte[] segment(int marker, byte[] data) {
        return ByteBuffer.allocate(4 + data.length)
                .put((byte) 0xFF)
                .put((byte) marker)
                .putShort((short) (data.length + 2))
                .put(data)
                .array();
    }

    /** An APP1 EXIF segment whose first IFD holds only an Orientation (tag 274, SHORT). */
    static byte[] exifSegment(int orientation, boolean bigEndian) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        data.writeBytes(tiffOrientationBlock(orientation, bigEndian));
        return segment(0xE1, data.toByteArray());
    }

    /** A TIFF header and one IFD with one entry, Orientation: what an EXIF block holds, reduced to the point. */
    static byte[] tiffOrientationBlock(int orientation, boolean bigEndian) {
        ByteBuffer tiff =
                ByteBuffer.allocate(8 + 2 + 12 + 4).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        tiff.put(bigEndian ? (byte) 'M' : (byte) 'I').put(bigEndian ? (byte) 'M' : (byte) 'I');
        tiff.putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112)
                .putShort((short) 3)
                .putInt(1)
                .putShort((short) orientation)
                .putShort((short) 0);
        tiff.putInt(0);
        return tiff.array();
    }

    /** An APP2 segment carrying a whole ICC profile as chunk 1 of 1. */
    static byte[] iccSegment(ICC_Profile profile) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII));
        data.write(1);
        data.write(1);
        data.writeBytes(profile.getData());
        return segment(0xE2, data.toByteArray());
    }

    /**
     * A four-channel JPEG as Adobe applications write it: an APP14 "Adobe" segment and the ink values inverted (0 is
     * full ink). Left half red (magenta and yellow ink), right half blue (cyan and magenta). With {@code ycck} the
     * inverted C, M and Y are stored as YCbCr (Adobe transform 2, what Photoshop writes by default), else as they are
     * (transform 0). Written by the JDK's writer from a raw four-band raster, which it stores untransformed.
     */
    static byte[] adobeCmykJpeg(int width, int height, boolean ycck) {
        int[] red = {0, 255, 255, 0};
        int[] blue = {255, 255, 0, 0};
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] ink = x < width / 2 ? red : blue;
                int[] stored = {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]};
                raster.setPixel(x, y, ycck ? ycck(ink, stored[3]) : stored);
            }
        }
        ImageWriter writer = jdkPlugin(ImageIO.getImageWritersByFormatName("jpeg"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] adobe = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) (ycck ? 2 : 0)};
        return withSegment(out.toByteArray(), segment(0xEE, adobe));
    }

    /**
     * YCCK as Adobe defines it: C, M and Y taken as R, G and B and converted to YCbCr (JFIF's equations), which a
     * decoder turns back and inverts (so the inks go in as they are); K stored inverted, as in transform 0.
     */
    private static int[] ycck(int[] ink, int storedK) {
        double r = ink[0];
        double g = ink[1];
        double b = ink[2];
        return new int[] {
            clamp(0.299 * r + 0.587 * g + 0.114 * b),
            clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128),
            clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128),
            storedK
        };
    }

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }

    /** Whether the JDK's own JPEG reader, alone, refuses {@code bytes}. */
    static boolean jdkJpegReaderRefuses(byte[] bytes) {
        ImageReader reader = jdkPlugin(ImageIO.getImageReadersByFormatName("jpeg"));
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in);
            reader.read(0);
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        } finally {
            reader.dispose();
        }
    }

    /** The JDK's own plug-in among those ImageIO offers (TwelveMonkeys' come first once registered). */
    private static <T> T jdkPlugin(Iterator<T> plugins) {
        while (plugins.hasNext()) {
            T plugin = plugins.next();
            if (plugin.getClass().getName().startsWith("com.sun.imageio.")) {
                return plugin;
            }
        }
        throw new IllegalStateException("no JDK plug-in");
    }

    /**
     * A lossless WebP (VP8L), written by this minimal encoder: left half {@code left}, right half {@code right} (RGB
     * colours that differ in green only, or are equal). Each of the five prefix codes is a "simple" code: the red, blue,
     * alpha and distance codes have one symbol, which takes no bits, and the green code one or two symbols of one bit
     * each, so the pixel data is one bit a pixel (none for one colour). No transform, no colour cache, no meta codes.
     * With {@code orientation} > 0, an extended file (VP8X) with an EXIF chunk holding that orientation.
     */
    static byte[] webp(int width, int height, Color left, Color right, int orientation) {
        if (left.getRed() != right.getRed() || left.getBlue() != right.getBlue()) {
            throw new IllegalArgumentException("the halves may differ in green only");
        }
        Bits bits = new Bits();
        bits.write(0x2f, 8); // VP8L signature
        bits.write(width - 1, 14);
        bits.write(height - 1, 14);
        bits.write(0, 1); // alpha is not used
        bits.write(0, 3); // version 0
        bits.write(0, 1); // no transform
        bits.write(0, 1); // no colour cache
        bits.write(0, 1); // no meta prefix codes
        int low = Math.min(left.getGreen(), right.getGreen());
        int high = Math.max(left.getGreen(), right.getGreen());
        simpleCode(bits, low == high ? new int[] {low} : new int[] {low, high}); // green (and lengths, cache)
        simpleCode(bits, new int[] {left.getRed()});
        simpleCode(bits, new int[] {left.getBlue()});
        simpleCode(bits, new int[] {255}); // alpha
        simpleCode(bits, new int[] {0}); // distance
        if (low != high) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int green = x < width / 2 ? left.getGreen() : right.getGreen();
                    bits.write(green == low ? 0 : 1, 1); // canonical code: the smaller symbol is 0
                }
            }
        }
        byte[] vp8l = bits.bytes();
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        if (orientation > 0) {
            ByteBuffer vp8x = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            vp8x.put((byte) 0x08).put(new byte[3]); // EXIF present
            vp8x.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
            vp8x.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
            chunk(chunks, "VP8X", vp8x.array());
        }
        chunk(chunks, "VP8L", vp8l);
        if (orientation > 0) {
            chunk(chunks, "EXIF", tiffOrientationBlock(orientation, false));
        }
        ByteBuffer riff = ByteBuffer.allocate(12 + chunks.size()).order(ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(StandardCharsets.US_ASCII))
                .putInt(4 + chunks.size())
                .put("WEBP".getBytes(StandardCharsets.US_ASCII))
                .put(chunks.toByteArray());
        return riff.array();
    }

    /** A VP8L simple prefix code of one or two 8-bit symbols. */
    private static void simpleCode(Bits bits, int[] symbols) {
        bits.write(1, 1); // simple code
        bits.write(symbols.length - 1, 1);
        bits.write(1, 1); // the first symbol takes 8 bits
        for (int symbol : symbols) {
            bits.write(symbol, 8);
        }
    }

    private static void chunk(ByteArrayOutputStream out, String fourCc, byte[] data) {
        out.writeBytes(fourCc.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(data.length)
                .array());
        out.writeBytes(data);
        if (data.length % 2 == 1) {
            out.write(0);
        }
    }

    /** Bits packed least significant first, as VP8L reads them. */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int current;
        private int used;

        void write(int value, int count) {
            for (int i = 0; i < count; i++) {
                current |= ((value >>> i) & 1) << used;
                if (++used == 8) {
                    out.write(current);
                    current = 0;
                    used = 0;
                }
            }
        }

        byte[] bytes() {
            if (used > 0) {
                out.write(current);
                current = 0;
                used = 0;
            }
            return out.toByteArray();
        }
    }

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

    static byte[] png(BufferedImage image) {
        return write(image, "png");
    }

    private static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
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
