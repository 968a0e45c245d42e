package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a users file or any other authentication the loopback port lets local callers in, and the console with it;
 * its forms still need the CSRF token of the session the first page opened, so another web page cannot post them.
 */
class ConsoleOpenPortIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir Path work;
    TesseraServer tessera;

    @AfterEach
    void stop() throws Exception {
        ServerConfig.stop(tessera);
    }

    @Test
    void a_local_caller_gets_a_session_and_its_forms_need_that_sessions_token() throws Exception {
        tessera = ServerConfig.in(work).completion(null).start();
        String base = tessera.httpBaseUrl();

        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/console/outbox")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("tessera_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict")
                && !cookie.contains("Secure"), cookie + " (plain HTTP: not Secure)");
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(csrf.find(), page.body());
        String session = cookie.substring(0, cookie.indexOf(';'));

        assertEquals(403, replay(session, "csrf=wrong").statusCode(), "a stale or forged token");
        assertEquals(403, replay(null, "csrf=" + csrf.group(1)).statusCode(), "a token without its session");
        HttpResponse<String> ok = replay(session, "csrf=" + csrf.group(1));
        assertEquals(303, ok.statusCode(), ok.body());
        assertEquals("/console/outbox?replayed=unknown-999", ok.headers().firstValue("Location").orElse(""));
        HttpResponse<String> after = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/console/outbox?replayed=unknown-999"))
                .header("Cookie", session).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(after.body().contains("TSR-0835: outbox entry 999 does not exist."), after.body());

        HttpResponse<String> css = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/console/assets/console.css")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        assertEquals(303, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode(), "/ leads to the studies list");
    }

    private HttpResponse<String> replay(String cookie, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tessera.httpBaseUrl() + "/console/outbox/999/replay"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) b.header("Cookie", cookie);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
