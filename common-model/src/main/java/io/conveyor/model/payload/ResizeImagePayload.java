package io.conveyor.model.payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import io.conveyor.model.TaskDefinition;
import io.conveyor.model.result.ImageResized;

/**
 * An image fetched from {@code source}, turned upright, fitted to {@code width} × {@code height} and written as an
 * artifact. Result: {@code {artifact, width, height, bytes, sha256}}, where width and height are those of the file
 * written (smaller than requested on one side with {@code contain}).
 *
 * <p>Read: JPEG (RGB, greyscale, CMYK and YCCK, with or without an embedded ICC profile), PNG, WebP (lossy, lossless),
 * TIFF, GIF and BMP; at most 50 megapixels, checked from the header. The EXIF orientation (1..8) of a JPEG, WebP or
 * TIFF is applied first, so width and height are those of the image as displayed; the file written carries no
 * orientation. Written: PNG or JPEG.
 *
 * @param source  an {@code https://}, {@code http://} or {@code data:} URI; private, loopback and link-local
 *                addresses are refused unless the worker allows them ({@code CONVEYOR_FETCH_ALLOW_PRIVATE})
 * @param width   output width in pixels, 1..8192
 * @param height  output height in pixels, 1..8192
 * @param format  {@code png} (the default) or {@code jpeg}
 * @param fit     {@code stretch} (the default): exactly width × height, the aspect ratio changed as needed; {@code
 *                contain}: scaled up or down to fit inside width × height with the aspect ratio kept, so one side is
 *                the requested one and the other is at most the requested one; {@code cover}: scaled to fill width ×
 *                height with the aspect ratio kept and the overflow cropped evenly from both sides (the centre kept),
 *                exactly width × height
 * @param quality JPEG quality, 1..100 (default {@value #DEFAULT_QUALITY}); refused with {@code png}, which is lossless
 */
@TaskDefinition(
        name = "resize_image",
        example =
                "{\"source\":\"https://example.com/photo.jpg\",\"width\":320,\"height\":240,\"format\":\"jpeg\",\"fit\":\"cover\",\"quality\":85}",
        description =
                "Resize an image fetched from a URL or data: URI (JPEG, PNG, WebP, TIFF, GIF, BMP in; PNG or JPEG out)",
        maxAttempts = 5,
        result = ImageResized.class,
        timeout = "PT2M")
@ResizeImagePayload.QualityOnlyForJpeg
public record ResizeImagePayload(
        @NotBlank
        // Case-insensitive and across lines without flags: the same expression is the OpenAPI document's pattern,
        // and JSON Schema patterns take none.
        @Pattern(
                regexp = "([hH][tT][tT][pP][sS]?://|[dD][aA][tT][aA]:)[\\s\\S]+",
                message = "must be an https://, http:// or data: URI")
        String source,

        @NotNull @Min(1) @Max(8192) Integer width,
        @NotNull @Min(1) @Max(8192) Integer height,

        @Pattern(regexp = "png|jpeg", message = "must be png or jpeg")
        String format,

        @Pattern(regexp = "stretch|contain|cover", message = "must be stretch, contain or cover")
        String fit,

        @Min(1) @Max(100) Integer quality) {

    /** The JPEG quality when the request names none. */
    public static final int DEFAULT_QUALITY = 90;

    public ResizeImagePayload {
        format = format == null ? "png" : format;
        fit = fit == null ? "stretch" : fit;
    }

    /** {@code quality} only with {@code jpeg} output: a PNG is lossless, and a quality there is a mistake. */
    @Documented
    @Constraint(validatedBy = QualityOnlyForJpegValidator.class)
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface QualityOnlyForJpeg {

        String message() default "applies to jpeg output only (format is png, which is lossless)";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** Checks {@link QualityOnlyForJpeg}, reporting the violation on {@code quality}. */
    public static class QualityOnlyForJpegValidator
            implements ConstraintValidator<QualityOnlyForJpeg, ResizeImagePayload> {

        @Override
        public boolean isValid(ResizeImagePayload payload, ConstraintValidatorContext context) {
            if (payload == null || payload.quality() == null || !"png".equals(payload.format())) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                    .addPropertyNode("quality")
                    .addConstraintViolation();
            return false;
        }
    }
}
