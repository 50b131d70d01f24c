package io.conveyor.model.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The state store's Lua scripts, shipped as resources of this jar so both apps run the very same code. */
public final class Scripts {

    /** Creates a task's record with its indexes, unless it exists. */
    public static final String CREATE = load("create.lua");
    /** Moves a task to a new state if its current state allows it; updates indexes, expiry, and notifies. */
    public static final String TRANSITION = load("transition.lua");
    /** Removes a task's record and its index entries. */
    public static final String FORGET = load("forget.lua");

    private Scripts() {
    }

    /** The SHA-1 Redis knows a script by: {@code EVALSHA} it, and {@code EVAL} it once when Redis answers NOSCRIPT. */
    public static String sha(String script) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True for Redis's answer to EVALSHA of a script it does not hold (after a restart or SCRIPT FLUSH). */
    public static boolean isNoScript(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }

    private static String load(String name) {
        try (InputStream in = Scripts.class.getResourceAsStream("/io/conveyor/state/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing Lua script " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
