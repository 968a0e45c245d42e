package io.tessera.listener;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static io.tessera.listener.AllowList.Verdict.*;
import static org.junit.jupiter.api.Assertions.*;

class AllowListTest {
    private static final InetAddress HOST_A = address("10.0.0.5");
    private static final InetAddress HOST_B = address("10.0.0.6");

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void an_empty_list_allows_anyone_from_anywhere() {
        assertEquals(ALLOWED, new AllowList(List.of()).check("WHOEVER", HOST_A));
    }

    @Test
    void a_bare_title_is_allowed_from_any_address() {
        AllowList list = new AllowList(List.of("CT1"));
        assertEquals(ALLOWED, list.check("CT1", HOST_A));
        assertEquals(ALLOWED, list.check("CT1 ", HOST_B));
        assertEquals(UNKNOWN_AE, list.check("MR1", HOST_A));
    }

    @Test
    void a_title_bound_to_a_host_is_allowed_only_from_that_host() {
        AllowList list = new AllowList(List.of("PACS@10.0.0.5", "PACS@10.0.0.9", "CT1"));
        assertEquals(ALLOWED, list.check("PACS", HOST_A));
        assertEquals(WRONG_HOST, list.check("PACS", HOST_B));
        assertEquals(UNKNOWN_AE, list.check("OTHER", HOST_A));
    }

    @Test
    void a_malformed_or_unresolvable_entry_is_refused_at_start() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AllowList(List.of("@10.0.0.5")))
                .getMessage().startsWith("TSR-0109"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AllowList(List.of("CT1@no-such-host.invalid")))
                .getMessage().startsWith("TSR-0110"));
    }

    @Test
    void a_title_bound_to_a_network_is_allowed_from_any_address_in_it() {
        AllowList list = new AllowList(List.of("PACS1@10.1.2.0/24", "CT_SCANNER@fd00::/64", "CT_SCANNER@10.9.9.9"));
        assertEquals(ALLOWED, list.check("PACS1", address("10.1.2.77")));
        assertEquals(WRONG_HOST, list.check("PACS1", address("10.1.3.77")));
        assertEquals(ALLOWED, list.check("CT_SCANNER", address("fd00::1234")));
        assertEquals(ALLOWED, list.check("CT_SCANNER", address("10.9.9.9")));
        assertEquals(WRONG_HOST, list.check("CT_SCANNER", address("fd01::1")));
        assertEquals(UNKNOWN_AE, list.check("MR1", address("10.1.2.77")));
    }

    @Test
    void a_malformed_network_is_refused_at_start_naming_the_entry() {
        String e = assertThrows(IllegalArgumentException.class, () -> new AllowList(List.of("CT1", "PACS1@10.1.2.0/33")))
                .getMessage();
        assertTrue(e.startsWith("TSR-0112"), e);
        assertTrue(e.contains("'PACS1@10.1.2.0/33'"), e);
        e = assertThrows(IllegalArgumentException.class, () -> new AllowList(List.of("PACS1@10.1.2.3/24"))).getMessage();
        assertTrue(e.startsWith("TSR-0117") && e.contains("'PACS1@10.1.2.3/24'"), e);
    }
}
