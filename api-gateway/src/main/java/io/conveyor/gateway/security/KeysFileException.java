package io.conveyor.gateway.security;

/** A keys file that cannot be used; the message names the file and, for a bad line, its number. */
public class KeysFileException extends RuntimeException {

    public KeysFileException(String message) {
        super(message);
    }

    public KeysFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
