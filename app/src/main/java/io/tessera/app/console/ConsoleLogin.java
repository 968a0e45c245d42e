package io.tessera.app.console;

import io.tessera.config.ConsoleConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/** The console's login parts built once from {@code console.*}: the users file, the throttle and the session gate. */
public record ConsoleLogin(ConsoleUsers users, LoginThrottle throttle, ConsoleGate gate, OidcProvider oidc, OidcLogins oidcLogins,
                           LoginAudit audit) {
    public static ConsoleLogin of(ConsoleConfig config, Clock clock) throws IOException {
        return of(config, clock, LoginAudit.NONE);
    }

    /** With {@code audit}: every login, failed or not, is recorded in the audit log. */
    public static ConsoleLogin of(ConsoleConfig config, Clock clock, LoginAudit audit) throws IOException {
        ConsoleUsers users = config.hasUsers() ? new ConsoleUsers(Path.of(config.usersFile())) : null;
        OidcProvider oidc = config.oidc().enabled() ? new OidcProvider(config.oidc()) : null;
        return new ConsoleLogin(users, new LoginThrottle(config.maxFailures(), config.lockout(), clock),
                new ConsoleGate(new ConsoleSessions(config.sessionIdle(), clock)), oidc, new OidcLogins(clock), audit);
    }

    public LoginServlet loginServlet() {
        return new LoginServlet(users, throttle, gate, oidc == null ? null : oidc.displayName(), audit);
    }

    /** {@code /login/oidc/*}, or null when no provider is configured. */
    public OidcLoginServlet oidcServlet() {
        return oidc == null ? null : new OidcLoginServlet(oidc, oidcLogins, gate, audit);
    }

    public LogoutServlet logoutServlet() {
        return new LogoutServlet(gate);
    }
}
