package io.tessera.app.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console logins held in memory: a random session id (the cookie) maps to the user, its scopes and a CSRF token that
 * every POST of the session must carry. A session unused for {@code idle} is gone; a restart ends every session (the
 * operator logs in again, which is cheaper than keeping sessions in the index).
 */
public final class ConsoleSessions {
    public static final String COOKIE = "tessera_session";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One login. {@code csrf} goes into every form of the session's pages. */
    public static final class Session {
        private final String id;
        private final String user;
        private final Set<String> scopes;
        private final String csrf;
        private volatile Instant lastSeen;

        Session(String id, String user, Set<String> scopes, String csrf, Instant now) {
            this.id = id;
            this.user = user;
            this.scopes = Set.copyOf(scopes);
            this.csrf = csrf;
            this.lastSeen = now;
        }

        public String id() { return id; }
        public String user() { return user; }
        public Set<String> scopes() { return scopes; }
        public String csrf() { return csrf; }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Clock clock;

    public ConsoleSessions(Duration idle, Clock clock) {
        this.idle = idle;
        this.clock = clock;
    }

    public Duration idle() {
        return idle;
    }

    /** A new session for {@code user}: a new id at every login, so an id planted before the login is worth nothing. */
    public Session open(String user, Set<String> scopes) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
        Session s = new Session(token(), user, scopes, token(), now);
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session of this id, its idle clock restarted; empty when unknown or idle too long (then forgotten). */
    public Optional<Session> find(String id) {
        if (id == null) return Optional.empty();
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    public void close(String id) {
        if (id != null) sessions.remove(id);
    }

    private boolean expired(Session s, Instant now) {
        return !s.lastSeen.plus(idle).isAfter(now);
    }

    /** 256 random bits, URL-safe. */
    public static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Compares tokens in constant time. */
    public static boolean sameToken(String a, String b) {
        return a != null && b != null && java.security.MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                b.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
