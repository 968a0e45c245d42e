package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The operator console's browser login. {@code usersFile}: local users, one a line {@code name:bcrypt-hash:scope
 * scope…} (blank: no local users; then the console is only open where the whole port is, on loopback without
 * authentication). {@code sessionIdle}: a session unused this long is gone. {@code maxFailures}: failed logins from
 * one address or for one name within {@code lockout} before further tries are refused until it has passed.
 * {@code oidc}: login through an OpenID Connect provider instead of, or besides, local users.
 */
public record ConsoleConfig(
        @NotNull String usersFile,
        @NotNull Duration sessionIdle,
        @Min(1) @Max(1000) int maxFailures,
        @NotNull Duration lockout,
        @Valid OidcLoginConfig oidc) {

    public ConsoleConfig {
        usersFile = usersFile == null ? "" : usersFile.trim();
        sessionIdle = sessionIdle == null ? Duration.ofMinutes(30) : sessionIdle;
        lockout = lockout == null ? Duration.ofMinutes(15) : lockout;
        if (maxFailures == 0) maxFailures = 5;
        oidc = oidc == null ? OidcLoginConfig.none() : oidc;
    }

    public static ConsoleConfig defaults() {
        return new ConsoleConfig("", Duration.ofMinutes(30), 5, Duration.ofMinutes(15), OidcLoginConfig.none());
    }

    /** Whether browser login with local users is configured. */
    public boolean hasUsers() {
        return !usersFile.isEmpty();
    }

    /** Whether a browser can log in at all (local users or an OpenID Connect provider): the port then asks for it. */
    public boolean hasLogin() {
        return hasUsers() || oidc.enabled();
    }
}
