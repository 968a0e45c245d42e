package io.tessera.core;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.*;

class AddressRangeTest {
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String error(String cidr) {
        return assertThrows(IllegalArgumentException.class, () -> AddressRange.parse(cidr)).getMessage();
    }

    @Test
    void an_ipv4_network_holds_its_addresses_and_no_others() {
        AddressRange r = AddressRange.parse("10.1.2.0/24");
        assertTrue(r.contains(ip("10.1.2.0")));
        assertTrue(r.contains(ip("10.1.2.255")));
        assertFalse(r.contains(ip("10.1.3.0")));
        assertFalse(r.contains(ip("10.1.1.255")));
        assertFalse(r.contains(ip("fd00::1")));
    }

    @Test
    void a_prefix_that_is_not_a_multiple_of_eight_splits_a_byte() {
        AddressRange r = AddressRange.parse("192.168.4.0/22");
        assertTrue(r.contains(ip("192.168.7.254")));
        assertFalse(r.contains(ip("192.168.8.1")));
        assertFalse(r.contains(ip("192.168.3.255")));
    }

    @Test
    void slash_zero_holds_every_address_of_its_family() {
        AddressRange v4 = AddressRange.parse("0.0.0.0/0");
        assertTrue(v4.contains(ip("1.2.3.4")));
        assertTrue(v4.contains(ip("255.255.255.255")));
        assertFalse(v4.contains(ip("fd00::1")), "0.0.0.0/0 is IPv4 only");
        AddressRange v6 = AddressRange.parse("::/0");
        assertTrue(v6.contains(ip("fd00::1")));
        assertTrue(v6.contains(ip("10.0.0.1")), "IPv4 peers are IPv4-mapped IPv6 addresses, inside ::/0");
    }

    @Test
    void slash_32_and_slash_128_hold_exactly_one_address() {
        AddressRange v4 = AddressRange.parse("10.0.0.5/32");
        assertTrue(v4.contains(ip("10.0.0.5")));
        assertFalse(v4.contains(ip("10.0.0.4")));
        assertFalse(v4.contains(ip("10.0.0.6")));
        AddressRange v6 = AddressRange.parse("fd00::5/128");
        assertTrue(v6.contains(ip("fd00:0:0:0:0:0:0:5")));
        assertFalse(v6.contains(ip("fd00::4")));
    }

    @Test
    void an_ipv6_network_holds_its_addresses() {
        AddressRange r = AddressRange.parse("fd00::/64");
        assertTrue(r.contains(ip("fd00::1")));
        assertTrue(r.contains(ip("fd00::ffff:ffff:ffff:ffff")));
        assertFalse(r.contains(ip("fd00:0:0:1::1")));
        assertFalse(r.contains(ip("10.0.0.1")));
    }

    @Test
    void ipv4_mapped_ipv6_is_the_same_address_as_ipv4_both_ways() {
        AddressRange v4 = AddressRange.parse("10.0.0.0/8");
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 7;
        InetAddress peerSeenAsMapped = assertDoesNotThrow(() -> java.net.Inet6Address.getByAddress(null, mapped, -1));
        assertTrue(v4.contains(peerSeenAsMapped));
        AddressRange written6 = AddressRange.parse("::ffff:10.0.0.0/104");
        assertTrue(written6.contains(ip("10.200.1.1")));
        assertFalse(written6.contains(ip("11.0.0.1")));
        assertTrue(AddressRange.parse("::ffff:0:0/96").contains(ip("192.0.2.1")));
    }

    @Test
    void a_single_host_range_matches_that_address_in_either_form() {
        AddressRange host = AddressRange.of(ip("127.0.0.1"));
        assertTrue(host.contains(ip("::ffff:127.0.0.1")));
        assertFalse(host.contains(ip("127.0.0.2")));
    }

    @Test
    void malformed_networks_are_refused_with_a_code_that_names_them() {
        assertTrue(error("10.0.0.0/33").startsWith("TSR-0112"), error("10.0.0.0/33"));
        assertTrue(error("10.0.0.0/33").contains("'10.0.0.0/33'"));
        assertTrue(error("fd00::/129").startsWith("TSR-0112"));
        assertTrue(error("10.0.0.0/").startsWith("TSR-0112"));
        assertTrue(error("10.0.0.0/-1").startsWith("TSR-0112"));
        assertTrue(error("10.0.0.0/8/8").startsWith("TSR-0112"));
        assertTrue(error("pacs.example.org/24").startsWith("TSR-0112"), "no name lookups for networks");
        assertTrue(error("10.0.0/8").startsWith("TSR-0112"));
        assertTrue(error("300.0.0.0/8").startsWith("TSR-0112"));
        assertTrue(error("fd00::g/64").startsWith("TSR-0112"));
        assertTrue(error("fe80::1%eth0/64").startsWith("TSR-0112"));
    }

    @Test
    void host_bits_beyond_the_prefix_are_refused_with_the_network_meant() {
        String e = error("10.1.2.5/24");
        assertTrue(e.startsWith("TSR-0117"), e);
        assertTrue(e.contains("10.1.2.0/24"), e);
        assertTrue(error("fd00::1/64").contains("fd00:0:0:0:0:0:0:0/64"), error("fd00::1/64"));
    }
}
