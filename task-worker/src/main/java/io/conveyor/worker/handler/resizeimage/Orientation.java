package io.conveyor.worker.handler.resizeimage;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.charset.StandardCharsets;

/**
 * The EXIF orientation (TIFF tag 274, values 1 to 8) of an image file, and the turn that shows its pixels upright.
 * Cameras store the sensor's rows as read and record how the camera was held; viewers turn the image as the tag says.
 *
 * <p>Read from the first IFD of the EXIF block of a JPEG (an APP1 segment starting {@code Exif\0\0}), of a WebP (its
 * {@code EXIF} chunk) and of a TIFF file itself. Our own parser, bounds-checked at every read: a missing, truncated or
 * garbled block means 1 (as stored), never a failure.
 */
final class Orientation {

    /** As stored: no turn. */
    static final int NORMAL = 1;

    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;
    private static final int TYPE_LONG = 4;
    private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};

    private Orientation() {}

    /** 1 to 8; {@link #NORMAL} when the file has no orientation we can read. */
    static int of(byte[] file) {
        try {
            if (startsWith(file, 0, new byte[] {(byte) 0xFF, (byte) 0xD8})) {
                return jpeg(file);
            }
            if (startsWith(file, 0, new byte[] {'I', 'I', 42, 0})
                    || startsWith(file, 0, new byte[] {'M', 'M', 0, 42})) {
                return tiff(file, 0, file.length);
            }
            if (startsWith(file, 0, ascii("RIFF")) && startsWith(file, 8, ascii("WEBP"))) {
                return webp(file);
            }
        } catch (Malformed e) {
            // A broken block says nothing about the orientation.
        }
        return NORMAL;
    }

    /** Whether the orientation swaps width and height (5 to 8: a quarter turn, possibly mirrored). */
    static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * {@code stored} as it is to be shown: mirrored and/or turned by a multiple of 90°. A new RGB or ARGB image, or
     * {@code stored} itself for {@link #NORMAL} (and for a value outside 1..8). An RGB or ARGB image of its own (what
     * scaling makes) is read in place, so the turn costs one more image of the output's size, no more.
     */
    static BufferedImage upright(BufferedImage stored, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return stored;
        }
        int w = stored.getWidth();
        int h = stored.getHeight();
        boolean swap = swapsAxes(orientation);
        int outWidth = swap ? h : w;
        int outHeight = swap ? w : h;
        int type = stored.getType() == BufferedImage.TYPE_INT_RGB || stored.getType() == BufferedImage.TYPE_INT_ARGB
                ? stored.getType()
                : stored.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        boolean inPlace = type == stored.getType()
                && stored.getRaster().getParent() == null
                && stored.getRaster().getDataBuffer().getSize() == w * h;
        int[] source = inPlace
                ? ((DataBufferInt) stored.getRaster().getDataBuffer()).getData()
                : stored.getRGB(0, 0, w, h, null, 0, w);
        BufferedImage shown = new BufferedImage(outWidth, outHeight, type);
        int[] target = ((DataBufferInt) shown.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // Where the stored pixel (x, y) is shown, per the tag's definition (TIFF 6.0, EXIF 2.3 §4.6.4).
                int shownX;
                int shownY;
                switch (orientation) {
                    case 2 -> { // mirrored left to right
                        shownX = w - 1 - x;
                        shownY = y;
                    }
                    case 3 -> { // turned 180°
                        shownX = w - 1 - x;
                        shownY = h - 1 - y;
                    }
                    case 4 -> { // mirrored top to bottom
                        shownX = x;
                        shownY = h - 1 - y;
                    }
                    case 5 -> { // transposed
                        shownX = y;
                        shownY = x;
                    }
                    case 6 -> { // turned 90° clockwise
                        shownX = h - 1 - y;
                        shownY = x;
                    }
                    case 7 -> { // transversed
                        shownX = h - 1 - y;
                        shownY = w - 1 - x;
                    }
                    default -> { // 8: turned 90° counter-clockwise
                        shownX = y;
                        shownY = w - 1 - x;
                    }
                }
                target[shownY * outWidth + shownX] = source[y * w + x];
            }
        }
        return shown;
    }

    /** Markers up to the first scan; the first APP1 that holds EXIF answers. */
    private static int jpeg(byte[] file) {
        int at = 2;
        while (at + 4 <= file.length) {
            if ((file[at] & 0xFF) != 0xFF) {
                return NORMAL;
            }
            int marker = file[at + 1] & 0xFF;
            if (marker == 0xFF) {
                at++; // fill byte
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return NORMAL; // start of scan or end of image: no metadata past here
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                at += 2; // no length
                continue;
            }
            int length = u16(file, at + 2, file.length, false);
            if (length < 2) {
                return NORMAL;
            }
            int data = at + 4;
            int end = at + 2 + length;
            if (end > file.length) {
                return NORMAL;
            }
            if (marker == 0xE1 && startsWith(file, data, EXIF_HEADER) && data + EXIF_HEADER.length <= end) {
                return tiff(file, data + EXIF_HEADER.length, end);
            }
            at = end;
        }
        return NORMAL;
    }

    /** RIFF chunks after the {@code WEBP} form type; the {@code EXIF} chunk holds a TIFF structure. */
    private static int webp(byte[] file) {
        int at = 12;
        while (at + 8 <= file.length) {
            long size = u32(file, at + 4, file.length, true);
            int data = at + 8;
            if (size > file.length - data) {
                return NORMAL;
            }
            int end = data + (int) size;
            if (startsWith(file, at, ascii("EXIF"))) {
                // Some writers keep the JPEG APP1 prefix.
                int tiff = startsWith(file, data, EXIF_HEADER) ? data + EXIF_HEADER.length : data;
                return tiff(file, tiff, end);
            }
            at = end + (int) (size & 1);
        }
        return NORMAL;
    }

    /** Tag 274 of the first IFD of the TIFF structure in {@code file[start, end)}; offsets count from start. */
    private static int tiff(byte[] file, int start, int end) {
        boolean little;
        if (startsWith(file, start, new byte[] {'I', 'I'})) {
            little = true;
        } else if (startsWith(file, start, new byte[] {'M', 'M'})) {
            little = false;
        } else {
            return NORMAL;
        }
        if (u16(file, start + 2, end, little) != 42) {
            return NORMAL;
        }
        long ifd = u32(file, start + 4, end, little);
        if (ifd < 8 || ifd > end - start) {
            return NORMAL;
        }
        int at = start + (int) ifd;
        int entries = u16(file, at, end, little);
        for (int i = 0; i < entries; i++) {
            int entry = at + 2 + i * 12;
            if (entry + 12 > end) {
                return NORMAL;
            }
            if (u16(file, entry, end, little) != TAG_ORIENTATION) {
                continue;
            }
            int type = u16(file, entry + 2, end, little);
            long count = u32(file, entry + 4, end, little);
            long value;
            if (count < 1) {
                return NORMAL;
            } else if (type == TYPE_SHORT) {
                value = u16(file, entry + 8, end, little);
            } else if (type == TYPE_LONG) {
                value = u32(file, entry + 8, end, little);
            } else {
                return NORMAL;
            }
            return value >= 1 && value <= 8 ? (int) value : NORMAL;
        }
        return NORMAL;
    }

    private static int u16(byte[] file, int at, int end, boolean little) {
        if (at < 0 || at + 2 > end) {
            throw new Malformed();
        }
        int a = file[at] & 0xFF;
        int b = file[at + 1] & 0xFF;
        return little ? b << 8 | a : a << 8 | b;
    }

    private static long u32(byte[] file, int at, int end, boolean little) {
        if (at < 0 || at + 4 > end) {
            throw new Malformed();
        }
        long value = 0;
        for (int i = 0; i < 4; i++) {
            int b = file[at + (little ? 3 - i : i)] & 0xFF;
            value = value << 8 | b;
        }
        return value;
    }

    private static boolean startsWith(byte[] file, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > file.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (file[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A read past the block's end: the block is not what it claims to be. */
    private static final class Malformed extends RuntimeException {
        Malformed() {
            super(null, null, false, false);
        }
    }
}
