package io.conveyor.gateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.conveyor.gateway.quota.Rate;

/**
 * Reads the keys file ({@code CONVEYOR_API_KEYS_FILE}): one client a line,
 * {@code <name> <role>[,<role>...] sha256:<64 hex digits> [rate=<n>/s]}; {@code #} starts a comment; blank lines
 * are skipped. Any other line is an error naming its number. Pure: no state, no logging.
 */
public final class KeysFile {

    /** The client name the admin token's identity carries; a keys file may not use it. */
    public static final String ADMIN_CLIENT = "admin";

    /** Names a keys file may not give a client: the admin token's and protected mode's local identity's. */
    private static final Set<String> RESERVED = Set.of(ADMIN_CLIENT, ApiKeyMechanism.LOCAL);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern HASH = Pattern.compile("sha256:([0-9a-fA-F]{64})");

    private KeysFile() {}

    /** The clients of the file at {@code path}. */
    public static List<ApiClient> read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeysFileException("Cannot read the keys file " + path + ": " + e, e);
        }
        return parse(path.toString(), lines);
    }

    /** The clients of a keys file's lines; {@code source} names the file in error messages. */
    public static List<ApiClient> parse(String source, List<String> lines) {
        List<ApiClient> clients = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String content = (comment >= 0 ? line.substring(0, comment) : line).trim();
            if (content.isEmpty()) {
                continue;
            }
            ApiClient client = parseLine(content, error(source, i + 1));
            if (!names.add(client.name())) {
                throw error(source, i + 1).apply("client '" + client.name() + "' is defined twice");
            }
            if (!hashes.add(HexFormat.of().formatHex(client.keySha256()))) {
                throw error(source, i + 1)
                        .apply("this key hash is already given to another client; each client " + "needs its own key");
            }
            clients.add(client);
        }
        return List.copyOf(clients);
    }

    private interface Errors {
        KeysFileException apply(String message);
    }

    private static Errors error(String source, int line) {
        return message -> new KeysFileException("Keys file " + source + ", line " + line + ": " + message
                + " (expected: <name> <role>[,<role>...] sha256:<64 hex digits> [rate=<n>/s])");
    }

    private static ApiClient parseLine(String content, Errors error) {
        String[] fields = content.split("\\s+");
        if (fields.length < 3 || fields.length > 4) {
            throw error.apply("expected 3 or 4 fields, found " + fields.length);
        }
        String name = fields[0];
        if (!NAME.matcher(name).matches()) {
            throw error.apply("'" + name + "' is not a client name (letters, digits, '.', '_', '-'; at most 64)");
        }
        if (RESERVED.contains(name)) {
            throw error.apply("the names 'admin' (CONVEYOR_ADMIN_TOKEN) and 'local' (protected mode) are reserved");
        }
        Set<String> roles = new LinkedHashSet<>();
        for (String role : fields[1].split(",", -1)) {
            if (!Roles.ALL.contains(role)) {
                throw error.apply("unknown role '" + role + "'; roles are producer, reader, operator");
            }
            roles.add(role);
        }
        Matcher hash = HASH.matcher(fields[2]);
        if (!hash.matches()) {
            throw error.apply("the third field must be sha256:<64 hex digits>, the hash of the key (never the key)");
        }
        Rate rate = null;
        if (fields.length == 4) {
            if (!fields[3].startsWith("rate=")) {
                throw error.apply("'" + fields[3] + "' is not a rate such as rate=50/s");
            }
            try {
                rate = Rate.parse(fields[3].substring("rate=".length()));
            } catch (IllegalArgumentException e) {
                throw error.apply("'" + fields[3] + "' is not a rate such as rate=50/s: " + e.getMessage());
            }
        }
        return new ApiClient(name, Set.copyOf(roles), HexFormat.of().parseHex(hash.group(1)), rate);
    }
}
