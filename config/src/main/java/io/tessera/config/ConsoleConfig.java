package io.tessera.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The operator console's browser login. {@code usersFile}: local users, one a line {@code name:bcrypt-hash:scope
 * scope…} (blank: no local users; then the console is only open where the whole port is, on loopback without
 * authentication). {@code sessionIdle}: a session unused this long is gone. {@code maxFailures}: failed logins from
 * one address or for one name within {@code lockout} before further tries are refused until it has passed.
 */
public record ConsoleConfig(
        @NotNull String usersFile,
        @NotNull Duration sessionIdle,
        @Min(1) @Max(1000) int maxFailures,
        @NotNull Duration lockout) {

    public ConsoleConfig {
        usersFile = usersFile == null ? "" : usersFile.trim();
        sessionIdle = sessionIdle == null ? Duration.ofMinutes(30) : sessionIdle;
        lockout = lockout == null ? Duration.ofMinutes(15) : lockout;
        if (maxFailures == 0) maxFailures = 5;
    }

    public static ConsoleConfig defaults() {
        return new ConsoleConfig("", Duration.ofMinutes(30), 5, Duration.ofMinutes(15));
    }

    /** Whether browser login with local users is configured. */
    public boolean hasUsers() {
        return !usersFile.isEmpty();
    }
}
