package io.tessera.app.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@code maxFailures} failed logins from one address, or for one name, within
 * {@code window}, further tries from it or for it are refused until the oldest failure has left the window. Counting
 * names too stops a guesser that changes address; counting addresses stops one that changes names.
 */
public final class LoginThrottle {
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** Whether a login from {@code address} for {@code name} may be tried now. */
    public boolean allows(String address, String name) {
        Instant now = clock.instant();
        return recent("a:" + address, now) < maxFailures && recent("n:" + name, now) < maxFailures;
    }

    public void failed(String address, String name) {
        Instant now = clock.instant();
        for (String key : new String[] {"a:" + address, "n:" + name}) {
            Deque<Instant> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (d) {
                d.addLast(now);
                while (d.size() > maxFailures) d.removeFirst();
            }
        }
    }

    /** A successful login forgets its name's failures (its address's stay: one good password does not vouch for others). */
    public void succeeded(String name) {
        failures.remove("n:" + name);
    }

    private int recent(String key, Instant now) {
        Deque<Instant> d = failures.get(key);
        if (d == null) return 0;
        synchronized (d) {
            while (!d.isEmpty() && !d.peekFirst().plus(window).isAfter(now)) d.removeFirst();
            return d.size();
        }
    }
}
