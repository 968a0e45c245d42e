package io.tessera.app.console;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Where console logins are recorded: one audit record per login attempt (who, how, from where, the answer's status),
 * successful or not, so a security officer sees password guessing and logins at odd hours next to what was read.
 * The login pages are open (no caller yet), so the access filter cannot record them itself.
 */
@FunctionalInterface
public interface LoginAudit {
    LoginAudit NONE = (req, user, method, status) -> { };

    /**
     * @param user   the name logged in, or tried (null when none was given)
     * @param method {@code password} or {@code oidc}
     * @param status the HTTP status answered (303/200 logged in; 401, 403, 429 refused)
     */
    void login(HttpServletRequest req, String user, String method, int status);
}
