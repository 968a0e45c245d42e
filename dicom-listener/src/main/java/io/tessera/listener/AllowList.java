package io.tessera.listener;

import io.tessera.core.AddressRange;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may associate: entries {@code AE} (that title from any address), {@code AE@host} (that title only from the
 * addresses {@code host} names — an IP literal, or a name resolved once when the list is built) or
 * {@code AE@network/prefix} (that title from any address of an IPv4 or IPv6 network, see {@link AddressRange}).
 * Several entries for one title add up; an unbound entry for a title makes its bound entries moot. An empty list
 * allows everyone.
 */
final class AllowList {
    /** The verdict on one calling AE from one address. */
    enum Verdict { ALLOWED, UNKNOWN_AE, WRONG_HOST }

    private final boolean open;
    private final Set<String> anywhere = new HashSet<>();
    private final Map<String, List<AddressRange>> bound = new HashMap<>();

    AllowList(Collection<String> entries) {
        open = entries.isEmpty();
        for (String raw : entries) {
            String entry = raw.trim();
            int at = entry.lastIndexOf('@');
            if (at < 0) {
                anywhere.add(entry);
                continue;
            }
            String ae = entry.substring(0, at).trim();
            String host = entry.substring(at + 1).trim();
            if (ae.isEmpty() || host.isEmpty()) {
                throw new IllegalArgumentException("TSR-0109: allow-list entry must be AE, AE@host or AE@network/prefix: '"
                        + entry + "'");
            }
            List<AddressRange> ranges = bound.computeIfAbsent(ae, k -> new ArrayList<>());
            if (host.indexOf('/') >= 0) {
                try {
                    ranges.add(AddressRange.parse(host));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage() + " in allow-list entry '" + entry + "'", e);
                }
                continue;
            }
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    ranges.add(AddressRange.of(a));
                }
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("TSR-0110: allow-list host cannot be resolved: '" + entry + "'", e);
            }
        }
    }

    Verdict check(String callingAe, InetAddress from) {
        String ae = callingAe.trim();
        if (open || anywhere.contains(ae)) {
            return Verdict.ALLOWED;
        }
        List<AddressRange> ranges = bound.get(ae);
        if (ranges == null) {
            return Verdict.UNKNOWN_AE;
        }
        for (AddressRange r : ranges) {
            if (r.contains(from)) {
                return Verdict.ALLOWED;
            }
        }
        return Verdict.WRONG_HOST;
    }
}
