package io.conveyor.model.payload;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import io.conveyor.model.TaskDefinition;
import io.conveyor.model.result.ImageResized;

/**
 * An image fetched from {@code source}, resized to exactly {@code width} × {@code height} and written as an artifact.
 * Result: {@code {artifact, width, height, bytes, sha256}}.
 *
 * @param source an {@code https://}, {@code http://} or {@code data:} URI; private, loopback and link-local
 *               addresses are refused unless the worker allows them ({@code CONVEYOR_FETCH_ALLOW_PRIVATE})
 * @param width  output width in pixels, 1..8192
 * @param height output height in pixels, 1..8192
 * @param format {@code png} (the default) or {@code jpeg}
 */
@TaskDefinition(
        name = "resize_image",
        example = "{\"source\":\"https://example.com/photo.jpg\",\"width\":320,\"height\":240,\"format\":\"jpeg\"}",
        description = "Resize an image fetched from a URL or data: URI (PNG or JPEG out)",
        maxAttempts = 5,
        result = ImageResized.class,
        timeout = "PT2M")
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
        String format) {

    public ResizeImagePayload {
        format = format == null ? "png" : format;
    }
}
