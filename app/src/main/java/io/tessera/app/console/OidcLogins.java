package io.tessera.app.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logins sent to the provider and not back yet: per login a random state (also in a cookie of the browser that
 * started it), a nonce (must come back inside the ID token) and a PKCE verifier (its S256 challenge went out). Each
 * is used once and lapses after {@link #TTL}; at most {@link #MAX} are held, so a flood of started logins cannot fill
 * the memory.
 */
final class OidcLogins {
    static final Duration TTL = Duration.ofMinutes(10);
    static final int MAX = 10_000;

    record Pending(String state, String nonce, String verifier, Instant started) {
        /** RFC 7636 §4.2: BASE64URL(SHA-256(ASCII(code_verifier))). */
        String challenge() {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    OidcLogins(Clock clock) {
        this.clock = clock;
    }

    /** A new login; empty when {@link #MAX} are already under way. */
    Optional<Pending> start() {
        Instant now = clock.instant();
        pending.values().removeIf(p -> lapsed(p, now));
        if (pending.size() >= MAX) return Optional.empty();
        // 256-bit tokens: the verifier is 43 characters of the unreserved set, as RFC 7636 asks
        Pending p = new Pending(ConsoleSessions.token(), ConsoleSessions.token(), ConsoleSessions.token(), now);
        pending.put(p.state(), p);
        return Optional.of(p);
    }

    /** The login this state started, removed (a state works once); empty when unknown or lapsed. */
    Optional<Pending> finish(String state) {
        if (state == null) return Optional.empty();
        Pending p = pending.remove(state);
        return p == null || lapsed(p, clock.instant()) ? Optional.empty() : Optional.of(p);
    }

    private static boolean lapsed(Pending p, Instant now) {
        return !p.started().plus(TTL).isAfter(now);
    }
}
