package io.conveyor.worker.handler.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Which addresses a fetch (or a webhook) may reach. Pure. */
public final class AddressPolicy {

    private AddressPolicy() {}

    /** Why the fetcher must not connect to {@code address}, or {@code null} when it may. */
    static String refusal(InetAddress address, boolean allowPrivate) {
        return refusal(address, allowPrivate, "CONVEYOR_FETCH_ALLOW_PRIVATE");
    }

    /**
     * Why a client must not connect to {@code address}, or {@code null} when it may; {@code allowingSetting} names the
     * variable that would allow a non-public address.
     */
    public static String refusal(InetAddress address, boolean allowPrivate, String allowingSetting) {
        if (isMetadata(address)) {
            return "a cloud metadata address (always refused)";
        }
        String kind = nonPublicKind(address);
        return kind == null || allowPrivate ? null : "a " + kind + " address (" + allowingSetting + "=true allows it)";
    }

    static boolean isMetadata(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254 && (b[2] & 0xff) == 169 && (b[3] & 0xff) == 254;
        }
        InetAddress embedded = embeddedIpv4(b);
        if (embedded != null) {
            return isMetadata(embedded);
        }
        // fd00:ec2::254, AWS's IPv6 instance metadata service.
        return u16(b, 0) == 0xfd00
                && u16(b, 2) == 0x0ec2
                && u16(b, 4) == 0
                && u16(b, 6) == 0
                && u16(b, 8) == 0
                && u16(b, 10) == 0
                && u16(b, 12) == 0
                && u16(b, 14) == 0x0254;
    }

    /** The kind of a non-public address ("loopback", "private", ...), or {@code null} for a public one. */
    static String nonPublicKind(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = address.getAddress();
        return b.length == 4 ? ipv4Kind(b) : ipv6Kind(b);
    }

    private static String ipv4Kind(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0) {
            return "unspecified (0.0.0.0/8)";
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "shared (CGNAT 100.64.0.0/10)";
        }
        if (a0 >= 240) {
            return "reserved (240.0.0.0/4)";
        }
        if (a0 == 192 && a1 == 0 && a2 == 0) {
            return "reserved (192.0.0.0/24)";
        }
        if (a0 == 198 && (a1 == 18 || a1 == 19)) {
            return "benchmarking (198.18.0.0/15)";
        }
        if ((a0 == 192 && a1 == 0 && a2 == 2)
                || (a0 == 198 && a1 == 51 && a2 == 100)
                || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return "documentation (TEST-NET)";
        }
        return null;
    }

    private static String ipv6Kind(byte[] b) {
        if ((b[0] & 0xfe) == 0xfc) {
            return "private (unique local fc00::/7)";
        }
        InetAddress embedded = embeddedIpv4(b);
        if (embedded != null) {
            String kind = nonPublicKind(embedded);
            return kind == null ? null : kind + " (IPv4 " + embedded.getHostAddress() + " inside IPv6)";
        }
        if (u16(b, 0) == 0x2001 && u16(b, 2) == 0x0db8) {
            return "documentation (2001:db8::/32)";
        }
        if (u16(b, 0) == 0x0100 && u16(b, 2) == 0 && u16(b, 4) == 0 && u16(b, 6) == 0) {
            return "discard-only (100::/64)";
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-compatible (::/96), mapped (::ffff:0:0/96), NAT64 or 6to4 address. */
    private static InetAddress embeddedIpv4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        int offset = -1;
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        if (zeroPrefix && ((b[10] == 0 && b[11] == 0) || ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff))) {
            offset = 12;
        } else if (u16(b, 0) == 0x0064
                && u16(b, 2) == 0xff9b
                && u16(b, 4) == 0
                && u16(b, 6) == 0
                && u16(b, 8) == 0
                && u16(b, 10) == 0) {
            offset = 12;
        } else if (u16(b, 0) == 0x2002) {
            offset = 2;
        }
        if (offset < 0) {
            return null;
        }
        byte[] v4 = {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]};
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
}
