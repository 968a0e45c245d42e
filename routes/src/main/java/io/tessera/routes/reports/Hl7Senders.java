package io.tessera.routes.reports;

import io.tessera.core.AddressRange;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who may send HL7: source addresses ({@code hl7.allowedSenders}: an IP literal or a network {@code address/prefix},
 * matched by {@link AddressRange}, IPv4 also as IPv4-mapped IPv6) and sending applications
 * ({@code hl7.allowedApplications}: {@code APP} matches MSH-3, {@code APP^FACILITY} MSH-3 and MSH-4; compared without
 * regard to case and surrounding spaces). An empty list allows everyone.
 */
public final class Hl7Senders {
    private final List<AddressRange> networks = new ArrayList<>();
    private final List<String[]> applications = new ArrayList<>();

    /** @throws IllegalArgumentException an entry of {@code addresses} that is not an IP literal or network */
    public Hl7Senders(List<String> addresses, List<String> applications) {
        for (String raw : addresses) {
            String a = raw.trim();
            networks.add(AddressRange.parse(a.indexOf('/') >= 0 ? a : a + (a.indexOf(':') >= 0 ? "/128" : "/32")));
        }
        for (String raw : applications) {
            String[] parts = raw.trim().split("\\^", 2);
            this.applications.add(new String[] {norm(parts[0]), parts.length > 1 ? norm(parts[1]) : null});
        }
    }

    public static Hl7Senders anyone() {
        return new Hl7Senders(List.of(), List.of());
    }

    public boolean addressAllowed(InetAddress from) {
        if (networks.isEmpty()) return true;
        if (from == null) return false;
        for (AddressRange r : networks) {
            if (r.contains(from)) return true;
        }
        return false;
    }

    /** Whether MSH-3 {@code application} (namespace ID) and MSH-4 {@code facility} may send. */
    public boolean applicationAllowed(String application, String facility) {
        if (applications.isEmpty()) return true;
        String app = norm(application), fac = norm(facility);
        for (String[] e : applications) {
            if (e[0].equals(app) && (e[1] == null || e[1].equals(fac))) return true;
        }
        return false;
    }

    private static String norm(String s) {
        return s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
    }
}
