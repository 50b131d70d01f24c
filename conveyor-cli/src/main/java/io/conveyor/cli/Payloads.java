package io.conveyor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.conveyor.model.Json;

/** The {@code --payload} argument: JSON text, {@code @file} for a file's content, {@code @-} for standard input. */
final class Payloads {

    private Payloads() {}

    /**
     * The payload as JSON, checked to be one JSON value; the gateway checks the rest (fields, types, constraints).
     *
     * @throws UsageException when the file cannot be read or the text is not JSON
     */
    static JsonNode read(String argument, InputStream stdin) {
        return read("--payload", argument, stdin);
    }

    /** As {@link #read(String, InputStream)}, for the option {@code name} (named in the messages). */
    static JsonNode read(String option, String argument, InputStream stdin) {
        String text;
        String source;
        if (argument.startsWith("@")) {
            String name = argument.substring(1);
            source = source(name);
            text = text(option, name, stdin);
        } else {
            source = "the argument";
            text = argument;
        }
        ObjectMapper mapper = Json.mapper();
        try {
            JsonNode payload = mapper.readTree(text);
            if (payload == null || payload.isMissingNode()) {
                throw new UsageException(option + ": " + source + " is empty; give a JSON object such as {}");
            }
            return payload;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")";
            throw new UsageException(option + ": " + source + " is not valid JSON: " + e.getOriginalMessage() + where);
        }
    }

    /** How messages name a file argument: the file's name, or standard input for {@code -}. */
    static String source(String name) {
        return name.equals("-") ? "standard input" : name;
    }

    /**
     * The text of a file, or of standard input for {@code -}.
     *
     * @throws UsageException naming {@code what} when it cannot be read
     */
    static String text(String what, String name, InputStream stdin) {
        try {
            return name.equals("-")
                    ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException(what + ": no such file: " + name);
        } catch (IOException e) {
            throw new UsageException(what + ": cannot read " + source(name) + ": " + e.getMessage());
        }
    }
}
