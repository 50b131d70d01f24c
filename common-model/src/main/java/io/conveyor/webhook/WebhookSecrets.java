package io.conveyor.webhook;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-client webhook secrets ({@code CONVEYOR_WEBHOOK_SECRETS_FILE}): one client a line, {@code <client>
 * whsec_<base64 of at least 24 random bytes>}; blank lines and lines starting with {@code #} are skipped. Tasks
 * submitted without an API key sign with the secret of client {@value #LOCAL}. Pure and immutable; never prints a
 * secret, not even in its {@link #toString()} or its error messages.
 */
public final class WebhookSecrets {

    /** The client whose secret signs the webhooks of tasks submitted without an API key (protected mode). */
    public static final String LOCAL = "local";
    /** The prefix of a secret, as in Standard Webhooks. */
    public static final String PREFIX = "whsec_";
    /** The fewest random bytes a secret holds. */
    public static final int MIN_BYTES = 24;

    public static final WebhookSecrets NONE = new WebhookSecrets(Map.of());

    private final Map<String, byte[]> keys;

    private WebhookSecrets(Map<String, byte[]> keys) {
        this.keys = Map.copyOf(keys);
    }

    /**
     * Parses the file's lines; {@code source} names the file in error messages.
     *
     * @throws IllegalArgumentException naming the file and the line's number, never the secret
     */
    public static WebhookSecrets parse(List<String> lines, String source) {
        Map<String, byte[]> keys = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ", line " + (i + 1) + ": ";
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException(
                        where + "expected '<client> " + PREFIX + "<base64>', found " + parts.length + " field(s)");
            }
            String client = parts[0];
            if (!client.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new IllegalArgumentException(
                        where + "the client name must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            if (!parts[1].startsWith(PREFIX)) {
                throw new IllegalArgumentException(where + "the secret must start with '" + PREFIX + "'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(parts[1].substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "the secret after '" + PREFIX + "' is not base64");
            }
            if (key.length < MIN_BYTES) {
                throw new IllegalArgumentException(where + "the secret holds " + key.length + " bytes, fewer than "
                        + MIN_BYTES + " (scripts/new-webhook-secret.sh makes one)");
            }
            if (keys.putIfAbsent(client, key) != null) {
                throw new IllegalArgumentException(where + "client '" + client + "' has a secret already");
            }
        }
        return new WebhookSecrets(keys);
    }

    /** The client a task's webhook is signed for: its owner, or {@value #LOCAL} for a task without one. */
    public static String signer(String client) {
        return client == null || client.isEmpty() ? LOCAL : client;
    }

    /** The key (the decoded secret) of {@code client} ({@link #signer} applied); empty when it has none. */
    public Optional<byte[]> key(String client) {
        byte[] key = keys.get(signer(client));
        return key == null ? Optional.empty() : Optional.of(key.clone());
    }

    public boolean has(String client) {
        return keys.containsKey(signer(client));
    }

    public int size() {
        return keys.size();
    }

    @Override
    public String toString() {
        return "WebhookSecrets" + keys.keySet().stream().sorted().toList();
    }
}
