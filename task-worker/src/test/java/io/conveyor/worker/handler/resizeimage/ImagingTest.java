package io.conveyor.worker.handler.resizeimage;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.conveyor.worker.handler.NonRetryableException;

import static io.conveyor.worker.handler.resizeimage.TestImages.GREEN;
import static io.conveyor.worker.handler.resizeimage.TestImages.assertColour;
import static io.conveyor.worker.handler.resizeimage.TestImages.assertQuadrants;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decoding every format read (through the registered plug-ins), the EXIF orientation, the three fits and the JPEG
 * quality, without services: the image arithmetic of resize_image, fast. The worker's own path is {@link
 * ResizeImageTest}.
 */
class ImagingTest {

    private static final Color[] QUADRANTS = {Color.RED, Color.BLUE, GREEN, Color.YELLOW};

    // --- formats ---------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "ycck {0}")
    @ValueSource(booleans = {false, true})
    void decodesAdobeCmykAndYcckJpegs(boolean ycck) {
        BufferedImage image = Imaging.decode(TestImages.adobeCmykJpeg(32, 16, ycck));

        assertEquals(32, image.getWidth());
        assertColour(Color.RED, image.getRGB(4, 8));
        assertColour(Color.BLUE, image.getRGB(28, 8));
    }

    @Test
    void decodesACmykJpegWithAnIccProfileTheJdkReaderRefuses() {
        // A profile that does not fit the data, as print workflows leave behind: the JDK's reader gives up.
        byte[] jpeg = TestImages.withSegment(
                TestImages.adobeCmykJpeg(32, 16, false),
                TestImages.iccSegment(ICC_Profile.getInstance(ColorSpace.CS_sRGB)));
        assertTrue(TestImages.jdkJpegReaderRefuses(jpeg), "the JDK's own reader should refuse this fixture");

        BufferedImage image = Imaging.decode(jpeg);

        assertColour(Color.RED, image.getRGB(4, 8));
        assertColour(Color.BLUE, image.getRGB(28, 8));
    }

    @Test
    void decodesAnRgbJpegWithAGreyIccProfileTheJdkReaderRefuses() {
        byte[] jpeg = TestImages.withSegment(
                TestImages.jpeg(TestImages.quadrants(32, 16)),
                TestImages.iccSegment(ICC_Profile.getInstance(ColorSpace.CS_GRAY)));
        assertTrue(TestImages.jdkJpegReaderRefuses(jpeg), "the JDK's own reader should refuse this fixture");

        assertQuadrants(Imaging.decode(jpeg), Color.RED, Color.BLUE, GREEN, Color.YELLOW);
    }

    @Test
    void decodesALosslessWebp() {
        BufferedImage image = Imaging.decode(TestImages.webp(20, 10, Color.RED, Color.YELLOW, 0));

        assertEquals(20, image.getWidth());
        assertEquals(10, image.getHeight());
        assertColour(Color.RED, image.getRGB(2, 5));
        assertColour(Color.YELLOW, image.getRGB(17, 5));
    }

    @Test
    void decodesATiff() {
        assertQuadrants(
                Imaging.decode(TestImages.tiff(TestImages.quadrants(40, 30), 0)),
                Color.RED,
                Color.BLUE,
                GREEN,
                Color.YELLOW);
    }

    @Test
    void refusesWhatIsNoImage() {
        NonRetryableException refused = assertThrows(
                NonRetryableException.class, () -> Imaging.decode("GIF? no.".getBytes(StandardCharsets.US_ASCII)));

        assertEquals("Not a PNG, JPEG, WebP, TIFF, GIF or BMP image", refused.getMessage());
    }

    // --- pixel budget, from the header of each format -------------------------------------------------------------

    @Test
    void refusesAJpegOverThePixelBudgetFromItsHeader() {
        // SOI, a baseline SOF0 for 10000 x 10000 with three components, EOI: no tables, no scan.
        ByteBuffer sof =
                ByteBuffer.allocate(15).put((byte) 8).putShort((short) 10_000).putShort((short) 10_000);
        sof.put((byte) 3);
        for (int c = 1; c <= 3; c++) {
            sof.put((byte) c).put((byte) 0x11).put((byte) 0);
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        jpeg.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        jpeg.writeBytes(TestImages.segment(0xC0, sof.array()));
        jpeg.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});

        assertOverBudget(jpeg.toByteArray(), "10000x10000");
    }

    @Test
    void refusesAWebpOverThePixelBudgetFromItsHeader() {
        // A valid lossless header for 16384 x 16384 with one colour: 18 bytes that would decode to 1 GiB of pixels.
        assertOverBudget(TestImages.webp(16_384, 16_384, Color.RED, Color.RED, 0), "16384x16384");
    }

    @Test
    void refusesATiffOverThePixelBudgetFromItsHeader() {
        // Little-endian TIFF, one IFD: 10000 x 10000 RGB, uncompressed, one strip that is not there.
        int[][] entries = {
            {256, 4, 10_000}, // ImageWidth
            {257, 4, 10_000}, // ImageLength
            {258, 3, 8}, // BitsPerSample (one value for all: enough for a header)
            {259, 3, 1}, // Compression: none
            {262, 3, 2}, // PhotometricInterpretation: RGB
            {273, 4, 1000}, // StripOffsets
            {277, 3, 3}, // SamplesPerPixel
            {278, 4, 10_000}, // RowsPerStrip
            {279, 4, 300_000_000}, // StripByteCounts
        };
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + entries.length * 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) entries.length);
        for (int[] entry : entries) {
            tiff.putShort((short) entry[0]).putShort((short) entry[1]).putInt(1);
            if (entry[1] == 3) {
                tiff.putShort((short) entry[2]).putShort((short) 0);
            } else {
                tiff.putInt(entry[2]);
            }
        }
        tiff.putInt(0);

        assertOverBudget(tiff.array(), "10000x10000");
    }

    private static void assertOverBudget(byte[] image, String size) {
        NonRetryableException refused = assertThrows(NonRetryableException.class, () -> Imaging.decode(image));
        assertEquals(
                "The image is " + size + ", over the budget of " + Imaging.MAX_PIXELS + " pixels",
                refused.getMessage());
    }

    // --- orientation ------------------------------------------------------------------------------------------------

    /**
     * Each EXIF orientation shows the stored quadrants (red, blue / green, yellow) as the EXIF specification draws
     * them; 5 to 8 also swap width and height. The expectations are written out, not computed.
     */
    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({
        "1, 0, 1, 2, 3",
        "2, 1, 0, 3, 2",
        "3, 3, 2, 1, 0",
        "4, 2, 3, 0, 1",
        "5, 0, 2, 1, 3",
        "6, 2, 0, 3, 1",
        "7, 3, 1, 2, 0",
        "8, 1, 3, 0, 2",
    })
    void turnsAJpegUprightAsItsExifOrientationSays(
            int orientation, int topLeft, int topRight, int bottomLeft, int bottomRight) {
        byte[] jpeg = TestImages.withSegment(
                TestImages.jpeg(TestImages.quadrants(64, 48)),
                TestImages.exifSegment(orientation, orientation % 2 == 0));
        BufferedImage stored = Imaging.decode(jpeg);
        boolean swapped = orientation >= 5;

        BufferedImage shown = Imaging.fit(
                stored, Orientation.of(jpeg), swapped ? 48 : 64, swapped ? 64 : 48, Imaging.Fit.STRETCH, false);

        assertEquals(swapped ? 48 : 64, shown.getWidth());
        assertEquals(swapped ? 64 : 48, shown.getHeight());
        assertQuadrants(shown, QUADRANTS[topLeft], QUADRANTS[topRight], QUADRANTS[bottomLeft], QUADRANTS[bottomRight]);
    }

    @Test
    void readsTheOrientationOfATiffAndAWebp() {
        BufferedImage quadrants = TestImages.quadrants(64, 48);
        byte[] tiff = TestImages.tiff(quadrants, 6);
        byte[] webp = TestImages.webp(64, 48, Color.RED, Color.YELLOW, 8);

        assertEquals(6, Orientation.of(tiff));
        assertEquals(8, Orientation.of(webp));
        // The readers leave the pixels as stored: turning them is ours.
        assertEquals(64, Imaging.decode(tiff).getWidth());
        BufferedImage shown = Imaging.fit(Imaging.decode(webp), 8, 24, 32, Imaging.Fit.STRETCH, false);
        assertColour(Color.YELLOW, shown.getRGB(12, 2)); // the right half, turned counter-clockwise, is on top
        assertColour(Color.RED, shown.getRGB(12, 29));
    }

    @Test
    void widthAndHeightApplyToTheImageAsShown() {
        // Stored 64 x 48, shown 48 x 64 (orientation 6): containing it in 30 x 30 gives 23 x 30, not 30 x 23.
        BufferedImage stored = TestImages.quadrants(64, 48);

        BufferedImage contained = Imaging.fit(stored, 6, 30, 30, Imaging.Fit.CONTAIN, false);

        assertEquals(23, contained.getWidth());
        assertEquals(30, contained.getHeight());
        assertQuadrants(contained, GREEN, Color.RED, Color.YELLOW, Color.BLUE);
    }

    // --- fit --------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} into {1} x {2}: {3} x {4}")
    @CsvSource({
        "stretch, 32, 32, 32, 32",
        "contain, 32, 32, 32, 24",
        "contain, 100, 30, 40, 30",
        "contain, 128, 128, 128, 96",
        "cover,   32, 32, 32, 32",
        "cover,   100, 30, 100, 30",
        "contain, 1, 100, 1, 1",
    })
    void fitsTheRequestedBox(String fit, int width, int height, int expectedWidth, int expectedHeight) {
        BufferedImage image = Imaging.fit(
                TestImages.quadrants(64, 48), Orientation.NORMAL, width, height, Imaging.Fit.of(fit), false);

        assertEquals(expectedWidth, image.getWidth());
        assertEquals(expectedHeight, image.getHeight());
    }

    @Test
    void coverKeepsTheCentreAndCropsBothSides() {
        // Four vertical bands of 16 px: green, red, blue, yellow. Covering 32 x 32 at scale 1 keeps the middle two.
        BufferedImage bands = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = bands.createGraphics();
        Color[] colours = {GREEN, Color.RED, Color.BLUE, Color.YELLOW};
        for (int i = 0; i < 4; i++) {
            g.setColor(colours[i]);
            g.fillRect(i * 16, 0, 16, 32);
        }
        g.dispose();

        BufferedImage covered = Imaging.fit(bands, Orientation.NORMAL, 32, 32, Imaging.Fit.COVER, false);
        BufferedImage stretched = Imaging.fit(bands, Orientation.NORMAL, 32, 32, Imaging.Fit.STRETCH, false);

        assertColour(Color.RED, covered.getRGB(1, 16));
        assertColour(Color.RED, covered.getRGB(14, 16));
        assertColour(Color.BLUE, covered.getRGB(17, 16));
        assertColour(Color.BLUE, covered.getRGB(30, 16));
        assertColour(GREEN, stretched.getRGB(1, 16)); // the crop, not the scale, removed the outer bands
    }

    @Test
    void coverOfATurnedImageCropsWhatIsShown() {
        // Stored 64 x 32, shown 32 x 64 (orientation 6); covering 32 x 32 keeps the middle of the shown height,
        // which is the middle of the stored width: red above, blue below.
        BufferedImage bands = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = bands.createGraphics();
        Color[] colours = {GREEN, Color.RED, Color.BLUE, Color.YELLOW};
        for (int i = 0; i < 4; i++) {
            g.setColor(colours[i]);
            g.fillRect(i * 16, 0, 16, 32);
        }
        g.dispose();

        BufferedImage covered = Imaging.fit(bands, 6, 32, 32, Imaging.Fit.COVER, false);

        assertEquals(32, covered.getWidth());
        assertEquals(32, covered.getHeight());
        assertColour(Color.RED, covered.getRGB(16, 2));
        assertColour(Color.BLUE, covered.getRGB(16, 29));
    }

    // --- encoding ---------------------------------------------------------------------------------------------------

    @Test
    void jpegQualityTradesBytesForFidelity() throws Exception {
        BufferedImage noise = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                noise.setRGB(x, y, random.nextInt());
            }
        }

        int low = Imaging.encode(noise, "jpeg", 10).length;
        int high = Imaging.encode(noise, "jpeg", 95).length;

        assertTrue(low * 2 < high, low + " bytes at quality 10, " + high + " at 95");
    }
}
