package io.tessera.routes.reports;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class Hl7SendersTest {
    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void empty_lists_allow_anyone() throws Exception {
        Hl7Senders any = Hl7Senders.anyone();
        assertTrue(any.addressAllowed(ip("203.0.113.9")));
        assertTrue(any.applicationAllowed("", ""));
    }

    @Test
    void addresses_match_single_ips_and_networks_v4_mapped_included() throws Exception {
        Hl7Senders s = new Hl7Senders(List.of("10.1.2.0/24", " 192.0.2.7 ", "fd00::/64"), List.of());
        assertTrue(s.addressAllowed(ip("10.1.2.200")));
        assertTrue(s.addressAllowed(ip("::ffff:10.1.2.3")), "IPv4-mapped peer on a dual-stack socket");
        assertTrue(s.addressAllowed(ip("192.0.2.7")));
        assertFalse(s.addressAllowed(ip("192.0.2.8")));
        assertTrue(s.addressAllowed(ip("fd00::1")));
        assertFalse(s.addressAllowed(ip("10.1.3.1")));
        assertFalse(s.addressAllowed(null));
        assertThrows(IllegalArgumentException.class, () -> new Hl7Senders(List.of("ris.example.org"), List.of()));
    }

    @Test
    void applications_match_msh3_alone_or_with_msh4_without_regard_to_case() {
        Hl7Senders s = new Hl7Senders(List.of(), List.of("RIS^HOSPITAL", "pacsris"));
        assertTrue(s.applicationAllowed("ris", " Hospital"));
        assertFalse(s.applicationAllowed("RIS", "CLINIC"));
        assertFalse(s.applicationAllowed("RIS", ""));
        assertTrue(s.applicationAllowed("PACSRIS", "anything"));
        assertFalse(s.applicationAllowed("LAB", "HOSPITAL"));
        assertFalse(s.applicationAllowed(null, null));
    }
}
