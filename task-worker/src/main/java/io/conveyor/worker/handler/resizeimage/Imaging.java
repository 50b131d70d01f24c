package io.conveyor.worker.handler.resizeimage;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import io.conveyor.worker.handler.NonRetryableException;

/**
 * Decoding, fitting and encoding with ImageIO and Java 2D, in memory (no ImageIO disk cache), pure Java: no native
 * library. PNG, GIF and BMP are read by the JDK's plug-ins; JPEG, WebP and TIFF by TwelveMonkeys' (JPEG the way
 * cameras and print workflows write it: CMYK and YCCK, with or without an embedded ICC profile, which the JDK's reader
 * refuses in part), all registered when this class loads. PNG and JPEG are written (JPEG flattened onto white,
 * without alpha). The declared dimensions are read from the header first and an image over {@value #MAX_PIXELS}
 * pixels is refused before its pixels are decoded, whatever its format, so a small file cannot expand into gigabytes.
 */
final class Imaging {

    /** Largest image, by declared width × height, that is decoded: 50 megapixels (200 MB as ARGB). */
    static final long MAX_PIXELS = 50_000_000L;

    /** How an image meets the requested width × height; see {@code ResizeImagePayload}. */
    enum Fit {
        /** Exactly width × height, the aspect ratio changed as needed. */
        STRETCH,
        /** Scaled to fit inside width × height, aspect kept: one side is the requested one, the other at most. */
        CONTAIN,
        /** Scaled to fill width × height, aspect kept, the overflow cropped evenly from both sides. */
        COVER;

        static Fit of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** Format names of the readers we use (a reader's first name, lower case): none that parses anything else. */
    private static final Set<String> READABLE = Set.of("png", "jpeg", "gif", "bmp", "tif", "tiff", "bigtiff", "webp");

    static {
        registerPlugins();
    }

    private Imaging() {}

    /**
     * Registers the image readers that this class's loader sees through the service loader (TwelveMonkeys'). ImageIO
     * finds plug-ins only with the loader current when its registry first starts, which need not be ours: in dev and
     * test mode the application has a loader of its own. A reader of the same class from another loader (an
     * application run before) is replaced, so the newest registration answers.
     */
    private static void registerPlugins() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        for (ImageReaderSpi provider : ServiceLoader.load(ImageReaderSpi.class, Imaging.class.getClassLoader())) {
            List<ImageReaderSpi> stale = new ArrayList<>();
            registry.getServiceProviders(ImageReaderSpi.class, false).forEachRemaining(registered -> {
                if (registered.getClass() != provider.getClass()
                        && registered
                                .getClass()
                                .getName()
                                .equals(provider.getClass().getName())) {
                    stale.add(registered);
                }
            });
            stale.forEach(registered -> registry.deregisterServiceProvider(registered, ImageReaderSpi.class));
            registry.registerServiceProvider(provider, ImageReaderSpi.class);
        }
    }

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
        throw new NonRetryableException("Not a PNG, JPEG, WebP, TIFF, GIF or BMP image");
    }

    /**
     * {@code stored} (pixels as decoded) shown upright as {@code orientation} (EXIF, 1..8) says and fitted to {@code
     * width} x {@code height} as {@code fit} says, as ARGB if {@code alpha} else as RGB on white. The sizes are those
     * of the upright image. A centred crop and a whole-image scale commute with the eight orientations, so both are
     * done on the stored pixels and only the result, at most the requested size, is turned.
     */
    static BufferedImage fit(BufferedImage stored, int orientation, int width, int height, Fit fit, boolean alpha) {
        boolean swap = Orientation.swapsAxes(orientation);
        int shownWidth = swap ? stored.getHeight() : stored.getWidth();
        int shownHeight = swap ? stored.getWidth() : stored.getHeight();
        int outWidth = width;
        int outHeight = height;
        int cropWidth = shownWidth;
        int cropHeight = shownHeight;
        switch (fit) {
            case STRETCH -> {}
            case CONTAIN -> {
                double scale = Math.min((double) width / shownWidth, (double) height / shownHeight);
                outWidth = clamp(Math.round(shownWidth * scale), width);
                outHeight = clamp(Math.round(shownHeight * scale), height);
            }
            case COVER -> {
                double scale = Math.max((double) width / shownWidth, (double) height / shownHeight);
                cropWidth = clamp(Math.round(width / scale), shownWidth);
                cropHeight = clamp(Math.round(height / scale), shownHeight);
            }
        }
        int storedCropWidth = swap ? cropHeight : cropWidth;
        int storedCropHeight = swap ? cropWidth : cropHeight;
        BufferedImage cropped = storedCropWidth == stored.getWidth() && storedCropHeight == stored.getHeight()
                ? stored
                : stored.getSubimage(
                        (stored.getWidth() - storedCropWidth) / 2,
                        (stored.getHeight() - storedCropHeight) / 2,
                        storedCropWidth,
                        storedCropHeight);
        BufferedImage scaled = resize(cropped, swap ? outHeight : outWidth, swap ? outWidth : outHeight, alpha);
        return Orientation.upright(scaled, orientation);
    }

    /** {@code value} rounded into 1..max. */
    private static int clamp(long value, int max) {
        return (int) Math.max(1, Math.min(max, value));
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

    /** {@code png} or {@code jpeg} bytes; {@code quality} (1..100) applies to JPEG only. */
    static byte[] encode(BufferedImage image, String format, int quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if ("jpeg".equals(format)) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality / 100f);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
