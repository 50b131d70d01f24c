package io.conveyor.worker.handler.table;

/** A cell holding JSON text from the database (a json or jsonb column): embedded as JSON, not as a string. */
public record RawJson(String text) {

    @Override
    public String toString() {
        return text;
    }
}
