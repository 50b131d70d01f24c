package io.conveyor.model.result;

/**
 * {@code resize_image}: the resized image, stored as the task's artifact. {@code width} and {@code height} are those of
 * the file written: the requested ones with {@code stretch} and {@code cover}; with {@code contain}, one of them is the
 * requested one and the other at most the requested one (the aspect ratio of the image as displayed, kept).
 */
public record ImageResized(String artifact, int width, int height, long bytes, String sha256) {}
