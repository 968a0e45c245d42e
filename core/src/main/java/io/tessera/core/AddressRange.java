package io.tessera.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A network in CIDR notation ({@code 10.1.2.0/24}, {@code fd00::/64}) or one address ({@code /32}, {@code /128}).
 * Every address is compared as 16 IPv6 bytes with IPv4 mapped into {@code ::ffff:0:0/96}, so {@code 10.0.0.0/8}
 * matches a peer seen as {@code ::ffff:10.1.2.3} on a dual-stack socket, and {@code ::ffff:10.0.0.0/104} is the
 * same network as {@code 10.0.0.0/8}; {@code ::/0} therefore matches every IPv4 peer too, {@code 0.0.0.0/0} only
 * IPv4 peers. Only IP literals are taken: a network is never looked up by name. Used by the listener's allow-list
 * and by the configuration's check of it.
 */
public final class AddressRange {
    private static final int IPV4_MAPPED_PREFIX = 96;

    private final byte[] network;
    private final int prefix;
    private final String text;

    private AddressRange(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** One address: a full-length range. */
    public static AddressRange of(InetAddress address) {
        return new AddressRange(bytes16(address), 128, address.getHostAddress());
    }

    /**
     * Parses {@code address/prefix}.
     *
     * @throws IllegalArgumentException TSR-0112 (not an IP literal, prefix not a number or out of range) or
     *                                  TSR-0117 (bits set beyond the prefix: a typo more often than not)
     */
    public static AddressRange parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || slash != cidr.lastIndexOf('/')) {
            throw new IllegalArgumentException("TSR-0112: not a network ADDRESS/PREFIX: '" + cidr + "'");
        }
        String addressText = cidr.substring(0, slash);
        String prefixText = cidr.substring(slash + 1);
        boolean v6 = addressText.indexOf(':') >= 0;
        if (!(v6 ? addressText.matches("[0-9A-Fa-f:.]{2,45}") : addressText.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            throw new IllegalArgumentException("TSR-0112: network address must be an IPv4 or IPv6 literal (no host names, "
                    + "no zone): '" + cidr + "'");
        }
        if (!prefixText.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("TSR-0112: network prefix must be a number: '" + cidr + "'");
        }
        int bits = Integer.parseInt(prefixText);
        if (bits > (v6 ? 128 : 32)) {
            throw new IllegalArgumentException("TSR-0112: network prefix must be 0-" + (v6 ? 128 : 32) + ": '" + cidr + "'");
        }
        InetAddress address;
        try {
            // a literal: no name service is asked
            address = InetAddress.getByName(addressText);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("TSR-0112: not an IP address: '" + cidr + "'", e);
        }
        int prefix = v6 ? bits : IPV4_MAPPED_PREFIX + bits;
        byte[] network = bytes16(address);
        byte[] masked = mask(network, prefix);
        if (!Arrays.equals(network, masked)) {
            throw new IllegalArgumentException("TSR-0117: network '" + cidr + "' has host bits set beyond /" + bits
                    + " (the network is " + text(masked) + "/" + bits + ")");
        }
        return new AddressRange(network, prefix, cidr);
    }

    public boolean contains(InetAddress address) {
        return Arrays.equals(network, mask(bytes16(address), prefix));
    }

    @Override
    public String toString() {
        return text;
    }

    /** IPv6 as is, IPv4 as IPv4-mapped IPv6. */
    private static byte[] bytes16(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - 8 * i));
            out[i] = (byte) (address[i] & (0xff << (8 - bitsHere)));
        }
        return out;
    }

    private static String text(byte[] address16) {
        try {
            // an IPv4-mapped address comes back as an Inet4Address, i.e. in dotted form
            return InetAddress.getByAddress(address16).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
