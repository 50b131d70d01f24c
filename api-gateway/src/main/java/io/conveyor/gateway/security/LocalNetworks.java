package io.conveyor.gateway.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The address ranges protected mode trusts ({@code CONVEYOR_LOCAL_NETWORKS}, CIDR notation). Only IP literals are
 * accepted, so neither parsing nor matching ever asks DNS. Pure.
 */
public final class LocalNetworks {

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private record Block(byte[] address, int prefix) {}

    private final List<Block> blocks;
    private final List<String> text;

    private LocalNetworks(List<Block> blocks, List<String> text) {
        this.blocks = blocks;
        this.text = text;
    }

    /** Parses CIDR blocks such as {@code 127.0.0.0/8} or {@code ::1/128}; a bare address is a single host. */
    public static LocalNetworks parse(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String raw : cidrs) {
            String cidr = raw.trim();
            if (cidr.isEmpty()) {
                continue;
            }
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            byte[] address = literal(host);
            if (address == null) {
                throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block");
            }
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > address.length * 8) {
                    throw new IllegalArgumentException("'" + cidr + "' has an invalid prefix length");
                }
            }
            blocks.add(new Block(address, prefix));
        }
        return new LocalNetworks(List.copyOf(blocks), List.copyOf(cidrs));
    }

    /** True when {@code address} (an IP literal, as a socket reports it) is in one of the blocks. */
    public boolean contains(String address) {
        if (address == null) {
            return false;
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        for (Block block : blocks) {
            if (block.address().length == bytes.length && matches(block, bytes)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join(",", text);
    }

    private static boolean matches(Block block, byte[] bytes) {
        int bits = block.prefix();
        for (int i = 0; bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((block.address()[i] & mask) != (bytes[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of an IP literal (IPv4-mapped IPv6 as IPv4), or null; never a DNS lookup. */
    private static byte[] literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int zone = h.indexOf('%');
        if (zone >= 0) {
            h = h.substring(0, zone);
        }
        if (!IPV4.matcher(h).matches() && !IPV6.matcher(h).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(h).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
