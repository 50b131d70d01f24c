package io.conveyor.worker.handler.resizeimage;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import io.conveyor.worker.handler.NonRetryableException;

/**
 * Decoding, scaling and encoding with the JDK's own ImageIO and Java 2D, in memory (no ImageIO disk cache): no native
 * library beyond the JDK, no extra dependency. PNG, JPEG, GIF and BMP are read, PNG and JPEG written (JPEG flattened
 * onto white, without alpha). The declared dimensions are read from the header first and an image over {@value
 * #MAX_PIXELS} pixels is refused before its pixels are decoded, so a small file cannot expand into gigabytes.
 */
final class Imaging {

    /** Largest image, by declared width × height, that is decoded: 50 megapixels (200 MB as ARGB). */
    static final long MAX_PIXELS = 50_000_000L;

    private static final Set<String> READABLE = Set.of("png", "jpeg", "gif", "bmp");

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
                    throw new NonRetryableException(
                            "The image is " + width + "x" + height + ", over the budget of " + MAX_PIXELS + " pixels");
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
