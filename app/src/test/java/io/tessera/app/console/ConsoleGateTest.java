package io.tessera.app.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The session cookie's attributes and the CSRF check, on stand-in requests (no server). */
class ConsoleGateTest {
    private static HttpServletRequest request(boolean secure, Map<String, String> headers, Map<String, String> params) {
        return (HttpServletRequest) Proxy.newProxyInstance(ConsoleGateTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "isSecure" -> secure;
                    case "getHeader" -> headers.get((String) a[0]);
                    case "getContentType" -> headers.get("Content-Type");
                    case "getParameter" -> params.get((String) a[0]);
                    default -> null;
                });
    }

    private static HttpServletResponse response(List<String> setCookies) {
        return (HttpServletResponse) Proxy.newProxyInstance(ConsoleGateTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    if (m.getName().equals("addHeader") && "Set-Cookie".equals(a[0])) setCookies.add((String) a[1]);
                    return null;
                });
    }

    @Test
    void the_session_cookie_is_http_only_same_site_strict_and_secure_over_https() {
        List<String> plain = new ArrayList<>(), tls = new ArrayList<>();
        ConsoleGate.writeCookie(request(false, Map.of(), Map.of()), response(plain), ConsoleSessions.COOKIE, "abc", -1);
        ConsoleGate.writeCookie(request(true, Map.of(), Map.of()), response(tls), ConsoleSessions.COOKIE, "abc", -1);
        assertEquals("tessera_session=abc; Path=/; HttpOnly; SameSite=Strict", plain.get(0));
        assertEquals("tessera_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure", tls.get(0));
    }

    @Test
    void a_post_needs_its_sessions_token_as_a_form_field_or_header() {
        ConsoleSessions.Session s = new ConsoleSessions(Duration.ofMinutes(5), Clock.systemUTC()).open("night", Set.of());
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        assertTrue(ConsoleGate.csrfOk(request(false, form, Map.of("csrf", s.csrf())), s));
        assertTrue(ConsoleGate.csrfOk(request(false, Map.of(ConsoleGate.CSRF_HEADER, s.csrf()), Map.of()), s));
        assertFalse(ConsoleGate.csrfOk(request(false, form, Map.of("csrf", "x" + s.csrf())), s));
        assertFalse(ConsoleGate.csrfOk(request(false, form, Map.of()), s));
        assertFalse(ConsoleGate.csrfOk(request(false, form, Map.of("csrf", s.csrf())), null), "no session, no token to match");
        assertFalse(ConsoleGate.csrfOk(request(false, Map.of("Content-Type", "application/json"), Map.of("csrf", s.csrf())), s),
                "a form field only counts in a form body");
    }
}
