package io.tessera.listener;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who may associate: entries {@code AE} (that title from any address) or {@code AE@host} (that title only from the
 * addresses {@code host} names — an IP literal, or a name resolved once when the list is built). Several entries for
 * one title add up; an unbound entry for a title makes its bound entries moot. An empty list allows everyone.
 */
final class AllowList {
    /** The verdict on one calling AE from one address. */
    enum Verdict { ALLOWED, UNKNOWN_AE, WRONG_HOST }

    private final boolean open;
    private final Set<String> anywhere = new HashSet<>();
    private final Map<String, Set<InetAddress>> bound = new HashMap<>();

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
                throw new IllegalArgumentException("TSR-0109: allow-list entry must be AE or AE@host: '" + entry + "'");
            }
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    bound.computeIfAbsent(ae, k -> new HashSet<>()).add(a);
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
        Set<InetAddress> hosts = bound.get(ae);
        if (hosts == null) {
            return Verdict.UNKNOWN_AE;
        }
        return hosts.contains(from) ? Verdict.ALLOWED : Verdict.WRONG_HOST;
    }
}
