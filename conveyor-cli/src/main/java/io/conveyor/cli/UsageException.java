package io.conveyor.cli;

/** An argument the command cannot use (a payload that is not JSON, an unreadable file): exit code 2. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
