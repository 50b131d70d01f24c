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
        String text;
        String source;
        if (argument.startsWith("@")) {
            String name = argument.substring(1);
            source = name.equals("-") ? "standard input" : name;
            try {
                text = name.equals("-")
                        ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(name), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new UsageException("--payload: no such file: " + name);
            } catch (IOException e) {
                throw new UsageException("--payload: cannot read " + source + ": " + e.getMessage());
            }
        } else {
            source = "the argument";
            text = argument;
        }
        ObjectMapper mapper = Json.mapper();
        try {
            JsonNode payload = mapper.readTree(text);
            if (payload == null || payload.isMissingNode()) {
                throw new UsageException("--payload: " + source + " is empty; give a JSON object such as {}");
            }
            return payload;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")";
            throw new UsageException("--payload: " + source + " is not valid JSON: " + e.getOriginalMessage() + where);
        }
    }
}
