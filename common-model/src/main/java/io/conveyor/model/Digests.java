package io.conveyor.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Digests, for ids and fingerprints derived from content, and the hashes of API keys. Pure. */
public final class Digests {

    private Digests() {}

    /** The SHA-256 of {@code content}, in lower-case hex. */
    public static String sha256(byte[] content) {
        return hex("SHA-256", content);
    }

    /** The SHA-256 of {@code text} as UTF-8, in lower-case hex. */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The SHA-256 of {@code text} as UTF-8, as raw bytes: for comparing the hashes of secrets in constant time
     * ({@code MessageDigest.isEqual}).
     */
    public static byte[] sha256Bytes(String text) {
        return digest("SHA-256", text.getBytes(StandardCharsets.UTF_8));
    }

    /** The SHA-1 of {@code text} as UTF-8, in lower-case hex: how Redis names a script. */
    public static String sha1(String text) {
        return hex("SHA-1", text.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(String algorithm, byte[] content) {
        return HexFormat.of().formatHex(digest(algorithm, content));
    }

    private static byte[] digest(String algorithm, byte[] content) {
        try {
            return MessageDigest.getInstance(algorithm).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has " + algorithm, e);
        }
    }
}
