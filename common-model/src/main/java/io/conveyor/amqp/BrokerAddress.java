package io.conveyor.amqp;

import java.util.ArrayList;
import java.util.List;

/** One broker node: a host name or address and its AMQP port. */
public record BrokerAddress(String host, int port) {

    /** AMQP's port. */
    public static final int PORT = 5672;

    /** AMQP over TLS's port. */
    public static final int TLS_PORT = 5671;

    public BrokerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("A broker address needs a host");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("A broker port must be 1..65535, was " + port + " for " + host);
        }
    }

    /**
     * Parses {@code RABBITMQ_ADDRESSES}: {@code host[:port]} separated by commas, an IPv6 address in brackets
     * ({@code [::1]:5672}); a node without a port gets {@code defaultPort}.
     *
     * @throws IllegalArgumentException naming the entry that is not an address
     */
    public static List<BrokerAddress> parseList(String list, int defaultPort) {
        List<BrokerAddress> addresses = new ArrayList<>();
        for (String raw : list.split(",")) {
            String entry = raw.strip();
            if (!entry.isEmpty()) {
                addresses.add(parse(entry, defaultPort));
            }
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("RABBITMQ_ADDRESSES names no node: '" + list + "'");
        }
        return List.copyOf(addresses);
    }

    private static BrokerAddress parse(String entry, int defaultPort) {
        if (entry.contains("://") || entry.contains("@") || entry.contains("/")) {
            throw invalid(
                    entry, "give host[:port] only (credentials, scheme and virtual host have settings of their own)");
        }
        String host;
        String port;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw invalid(entry, "an IPv6 address needs its closing ']'");
            }
            host = entry.substring(1, close);
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw invalid(entry, "expected ':port' after ']'");
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = entry.indexOf(':');
            if (colon >= 0 && entry.indexOf(':', colon + 1) >= 0) {
                throw invalid(entry, "an IPv6 address goes in brackets: [::1]:5672");
            }
            host = colon < 0 ? entry : entry.substring(0, colon);
            port = colon < 0 ? null : entry.substring(colon + 1);
        }
        if (port == null) {
            return new BrokerAddress(host, defaultPort);
        }
        try {
            return new BrokerAddress(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw invalid(entry, "the port is not a number");
        }
    }

    private static IllegalArgumentException invalid(String entry, String why) {
        return new IllegalArgumentException("RABBITMQ_ADDRESSES: '" + entry + "' is not a broker address: " + why);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
