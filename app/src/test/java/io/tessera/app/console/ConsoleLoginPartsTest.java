package io.tessera.app.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLoginPartsTest {
    @TempDir Path dir;

    /** A clock the test moves. */
    static final class Moving extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void users_file_checks_passwords_through_bcrypt_and_gives_the_users_scopes() throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "# operators\n\nnight:" + ConsoleUsers.hash("correct horse".toCharArray())
                + ":tessera/studies.read tessera/outbox.read\n");
        ConsoleUsers users = new ConsoleUsers(file);
        assertEquals(Set.of("tessera/studies.read", "tessera/outbox.read"),
                users.check("night", "correct horse".toCharArray()).orElseThrow().scopes());
        assertTrue(users.check("night", "wrong".toCharArray()).isEmpty());
        assertTrue(users.check("nobody", "correct horse".toCharArray()).isEmpty());
    }

    @Test
    void hashes_of_other_bcrypt_tools_are_accepted() throws Exception {
        String htpasswd = at.favre.lib.crypto.bcrypt.BCrypt.with(at.favre.lib.crypto.bcrypt.BCrypt.Version.VERSION_2Y)
                .hashToString(10, "from htpasswd".toCharArray()); // htpasswd -B writes $2y$
        assertTrue(htpasswd.startsWith("$2y$10$"));
        Path file = Files.writeString(dir.resolve("users"), "ward:" + htpasswd + ":tessera/studies.read\n");
        assertTrue(new ConsoleUsers(file).check("ward", "from htpasswd".toCharArray()).isPresent());
    }

    @Test
    void a_malformed_line_is_refused_by_its_number_without_its_content() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConsoleUsers.parse("ok:$2a$12$abc:tessera/admin\nsecret-password-in-clear\n"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().startsWith("TSR-0833"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
    }

    @Test
    void sessions_end_after_the_idle_time_and_each_login_gets_a_new_id() {
        Moving clock = new Moving();
        ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(30), clock);
        ConsoleSessions.Session a = sessions.open("night", Set.of("tessera/admin"));
        ConsoleSessions.Session b = sessions.open("night", Set.of("tessera/admin"));
        assertFalse(a.id().equals(b.id()) || a.csrf().equals(b.csrf()) || a.id().equals(a.csrf()));
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertTrue(sessions.find(a.id()).isPresent(), "used within the idle time: its clock restarts");
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertTrue(sessions.find(a.id()).isPresent());
        assertTrue(sessions.find(b.id()).isEmpty(), "58 minutes unused");
        sessions.close(a.id());
        assertTrue(sessions.find(a.id()).isEmpty(), "logged out");
    }

    @Test
    void failures_per_address_or_name_lock_out_until_the_window_has_passed() {
        Moving clock = new Moving();
        LoginThrottle t = new LoginThrottle(3, Duration.ofMinutes(15), clock);
        for (int i = 0; i < 3; i++) {
            assertTrue(t.allows("10.0.0.1", "night"));
            t.failed("10.0.0.1", "night");
        }
        assertFalse(t.allows("10.0.0.1", "other"), "the address is locked out");
        assertFalse(t.allows("10.0.0.2", "night"), "the name is locked out from any address");
        assertTrue(t.allows("10.0.0.2", "other"));
        clock.now = clock.now.plus(Duration.ofMinutes(15));
        assertTrue(t.allows("10.0.0.1", "night"), "the window has passed");
    }

    @Test
    void every_value_is_escaped() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;", Html.esc("<script>alert('x')</script> & \""));
    }
}
