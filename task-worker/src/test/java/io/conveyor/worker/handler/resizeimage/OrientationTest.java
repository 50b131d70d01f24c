package io.conveyor.worker.handler.resizeimage;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The EXIF orientation parser: each container, both byte orders, and garbage that must mean "as stored". */
class OrientationTest {

    private static final byte[] PLAIN_JPEG = TestImages.jpeg(TestImages.quadrants(8, 8));

    @ParameterizedTest(name = "big-endian {0}")
    @ValueSource(booleans = {false, true})
    void readsTheTagFromAJpegInEitherByteOrder(boolean bigEndian) {
        for (int orientation = 1; orientation <= 8; orientation++) {
            byte[] jpeg = TestImages.withSegment(PLAIN_JPEG, TestImages.exifSegment(orientation, bigEndian));

            assertEquals(orientation, Orientation.of(jpeg));
        }
    }

    @Test
    void findsExifBehindOtherSegmentsAndSkipsAnXmpApp1() {
        byte[] xmp = TestImages.segment(0xE1, "http://ns.adobe.com/xap/1.0/\0<x/>".getBytes(StandardCharsets.US_ASCII));
        byte[] jpeg = TestImages.withSegment(TestImages.withSegment(PLAIN_JPEG, TestImages.exifSegment(3, false)), xmp);

        assertEquals(3, Orientation.of(jpeg));
    }

    @Test
    void withoutATagAnImageIsAsStored() {
        assertEquals(Orientation.NORMAL, Orientation.of(PLAIN_JPEG));
        assertEquals(Orientation.NORMAL, Orientation.of(TestImages.png(TestImages.quadrants(4, 4))));
        assertEquals(Orientation.NORMAL, Orientation.of(TestImages.tiff(TestImages.quadrants(4, 4), 0)));
        assertEquals(Orientation.NORMAL, Orientation.of(TestImages.webp(4, 4, Color.RED, Color.RED, 0)));
        assertEquals(Orientation.NORMAL, Orientation.of(new byte[0]));
    }

    @Test
    void aValueOutsideOneToEightIsIgnored() {
        assertEquals(
                Orientation.NORMAL,
                Orientation.of(TestImages.withSegment(PLAIN_JPEG, TestImages.exifSegment(9, true))));
        assertEquals(
                Orientation.NORMAL,
                Orientation.of(TestImages.withSegment(PLAIN_JPEG, TestImages.exifSegment(0, true))));
    }

    @Test
    void aTruncatedOrLyingExifBlockMeansAsStored() {
        byte[] exif = TestImages.exifSegment(6, true);
        // Cut the block short inside its IFD, keeping the segment length honest.
        for (int keep = 6; keep < exif.length - 4; keep++) {
            byte[] data = Arrays.copyOfRange(exif, 4, 4 + keep);
            byte[] jpeg = TestImages.withSegment(PLAIN_JPEG, TestImages.segment(0xE1, data));
            int found = Orientation.of(jpeg);
            assertTrue(found == Orientation.NORMAL || found == 6, keep + " bytes: " + found);
        }
        // An IFD offset far past the block; an entry count far past it, the one real entry another tag.
        byte[] farOffset = exif.clone();
        farOffset[4 + 6 + 4] = 0x7F;
        assertEquals(Orientation.NORMAL, Orientation.of(TestImages.withSegment(PLAIN_JPEG, farOffset)));
        byte[] manyEntries = exif.clone();
        manyEntries[4 + 6 + 8] = (byte) 0xFF;
        manyEntries[4 + 6 + 9] = (byte) 0xFF;
        manyEntries[4 + 6 + 10] = 0x01;
        manyEntries[4 + 6 + 11] = 0x00;
        assertEquals(Orientation.NORMAL, Orientation.of(TestImages.withSegment(PLAIN_JPEG, manyEntries)));
        // A segment length running past the end of the file.
        byte[] longSegment = exif.clone();
        longSegment[2] = 0x7F;
        assertEquals(Orientation.NORMAL, Orientation.of(TestImages.withSegment(PLAIN_JPEG, longSegment)));
    }

    @Test
    void turnsImagesOfAnyLayoutAlike() {
        // In place (an RGB image of its own), copied (another pixel layout), and a part of a larger image.
        BufferedImage own = TestImages.quadrants(8, 6);
        BufferedImage bgr = new BufferedImage(8, 6, BufferedImage.TYPE_3BYTE_BGR);
        bgr.createGraphics().drawImage(own, 0, 0, null);
        BufferedImage larger = new BufferedImage(10, 8, BufferedImage.TYPE_INT_RGB);
        larger.createGraphics().drawImage(own, 1, 1, null);
        BufferedImage part = larger.getSubimage(1, 1, 8, 6);

        for (BufferedImage stored : List.of(own, bgr, part)) {
            BufferedImage shown = Orientation.upright(stored, 6);

            assertEquals(6, shown.getWidth());
            assertEquals(8, shown.getHeight());
            TestImages.assertQuadrants(shown, TestImages.GREEN, Color.RED, Color.YELLOW, Color.BLUE);
        }
    }

    @Test
    void randomBytesNeverFail() {
        Random random = new Random(11);
        byte[][] prefixes = {
            {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1},
            {'I', 'I', 42, 0},
            {'M', 'M', 0, 42},
            {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'},
        };
        for (int i = 0; i < 4000; i++) {
            byte[] prefix = prefixes[i % prefixes.length];
            byte[] file = new byte[prefix.length + random.nextInt(64)];
            random.nextBytes(file);
            System.arraycopy(prefix, 0, file, 0, prefix.length);

            int orientation = Orientation.of(file);

            assertTrue(orientation >= 1 && orientation <= 8, "orientation " + orientation);
        }
    }
}
