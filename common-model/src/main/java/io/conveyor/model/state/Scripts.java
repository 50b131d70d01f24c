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
