package io.conveyor.model.result;

/** {@code resize_image}: the resized image, stored as the task's artifact. */
public record ImageResized(String artifact, int width, int height, long bytes, String sha256) {}
