package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.testkit.FreePorts;
import java.io.File;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Console login through a real OpenID Connect provider (authorisation code + PKCE): what the protocol must refuse,
 * step by step over HTTP, and the whole login in a real browser. The provider is interactive: at its login form the
 * test types the user name and the claims of that user's ID token, here a {@code groups} claim that
 * {@code console.oidc.groupScopes} maps to Tessera scopes.
 */
class ConsoleOidcLoginIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    @TempDir Path work;
    OidcPeer provider;
    TesseraServer tessera;
    String base;

    @BeforeEach
    void start() throws Exception {
        provider = OidcPeer.start(work.resolve("oidc.log"));
        int httpPort = FreePorts.next();
        String callback = "http://127.0.0.1:" + httpPort + "/login/oidc/callback";
        tessera = ServerConfig.in(work).httpPort(httpPort)
                .section("console: { oidc: { issuer: '" + provider.issuer() + "', clientId: tessera-console, redirectUri: '"
                        + callback + "', displayName: Hospital login, groupScopes: { radiology-it: [tessera/admin, "
                        + "tessera/studies.read, tessera/status.read, tessera/outbox.read] } } }")
                .start();
        base = tessera.httpBaseUrl();
    }

    @AfterEach
    void stop() throws Exception {
        ServerConfig.stop(tessera, provider);
    }

    @Test
    void the_login_refuses_a_foreign_browser_a_replay_and_a_user_without_rights_and_admits_a_granted_user() throws Exception {
        // the provider makes the loopback port ask for a login; the form offers only the provider (no local users)
        assertEquals(303, get(base + "/console/studies", null).statusCode());
        assertEquals(401, get(base + "/api/studies", null).statusCode());
        String page = get(base + "/login", null).body();
        assertTrue(page.contains("href=\"/login/oidc\"") && page.contains("Hospital login"), page);
        assertFalse(page.contains("type=\"password\""), "no password form without local users");

        // the authorisation request: code flow with an S256 challenge, a state bound to this browser by a Lax cookie
        Login first = begin();
        assertEquals("code", first.query.get("response_type"));
        assertEquals("S256", first.query.get("code_challenge_method"));
        assertEquals(43, first.query.get("code_challenge").length(), "BASE64URL of a SHA-256");
        assertTrue(first.query.get("nonce").length() >= 43 && first.query.get("state").length() >= 43);
        assertTrue(first.cookieHeader.contains("SameSite=Lax") && first.cookieHeader.contains("HttpOnly"), first.cookieHeader);

        // a callback arriving in another browser (without the state cookie) is refused, and that state is spent
        String firstCallback = first.authorize("ops.lead", "{\"groups\": [\"radiology-it\"]}");
        HttpResponse<String> foreign = get(firstCallback, null);
        assertEquals(403, foreign.statusCode(), foreign.body());
        assertEquals(403, get(firstCallback, first.cookie).statusCode(), "a state works once");

        // an intercepted code is worth nothing without the verifier only Tessera holds (PKCE, checked by the provider)
        Login intercepted = begin();
        String stolen = query(URI.create(intercepted.authorize("ops.lead", "{\"groups\": [\"radiology-it\"]}"))).get("code");
        HttpResponse<String> exchange = HTTP.send(HttpRequest.newBuilder(URI.create(provider.issuer() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&client_id=tessera-console&code="
                        + URLEncoder.encode(stolen, StandardCharsets.UTF_8) + "&redirect_uri="
                        + URLEncoder.encode(intercepted.query.get("redirect_uri"), StandardCharsets.UTF_8)
                        + "&code_verifier=" + "x".repeat(43))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, exchange.statusCode(), exchange.body());

        // a granted user: a Strict session cookie, then the console and the API answer for that session
        Login granted = begin();
        String callback = granted.authorize("ops.lead", "{\"groups\": [\"radiology-it\"], \"preferred_username\": \"ops.lead\"}");
        HttpResponse<String> in = get(callback, granted.cookie);
        assertEquals(200, in.statusCode(), in.body());
        String session = in.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("tessera_session="))
                .findFirst().orElseThrow();
        assertTrue(session.contains("SameSite=Strict") && session.contains("HttpOnly"), session);
        String sessionCookie = session.substring(0, session.indexOf(';'));
        HttpResponse<String> studies = get(base + "/console/studies", sessionCookie);
        assertEquals(200, studies.statusCode());
        assertTrue(studies.body().contains("ops.lead"), "the page names the logged-in user");
        assertEquals(200, get(base + "/api/studies", sessionCookie).statusCode());
        assertEquals(200, get(base + "/console/audit", sessionCookie).statusCode(), "tessera/admin holds tessera/audit.read");
        assertEquals(403, get(callback, granted.cookie).statusCode(), "the same callback replayed");

        // a user the provider knows but whose groups grant nothing in Tessera
        Login visitor = begin();
        HttpResponse<String> refused = get(visitor.authorize("visitor", "{\"groups\": [\"visitors\"]}"), visitor.cookie);
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("no rights"), refused.body());
        assertTrue(refused.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("tessera_session=")
                && !c.startsWith("tessera_session=;")), "no session for a user without rights");

        // every login attempt is in the audit trail: the refused ones and the granted one, with how and from where
        String trail = get(base + "/console/audit", sessionCookie).body();
        assertTrue(trail.contains("visitor from 127.0.0.1 (oidc)") && trail.contains("ops.lead from 127.0.0.1 (oidc)"), trail);
        assertTrue(trail.split("GET /login/oidc/callback", -1).length - 1 >= 5, "five callbacks recorded: " + trail);
    }

    @Test
    void a_browser_logs_in_at_the_provider_and_lands_in_the_console() throws Exception {
        Path shots = Path.of("target", "console-screenshots");
        Files.createDirectories(shots);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingPort(FreePorts.next()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=" + work.resolve("chromium-profile"));
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
            browser.get(base + "/");
            assertTrue(browser.getCurrentUrl().endsWith("/login"), browser.getCurrentUrl());
            Files.write(shots.resolve("login-oidc.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            browser.findElement(By.id("oidc-login")).click();
            assertTrue(browser.getCurrentUrl().startsWith(provider.issuer() + "/authorize"), browser.getCurrentUrl());
            browser.findElement(By.name("username")).sendKeys("night.operator");
            var claims = browser.findElement(By.name("claims"));
            claims.clear();
            claims.sendKeys("{\"groups\": [\"radiology-it\"], \"preferred_username\": \"night.operator\"}");
            browser.findElement(By.cssSelector("input[type=submit]")).click();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> browser.getCurrentUrl().endsWith("/console/studies"));
            assertTrue(browser.getPageSource().contains("night.operator"), "logged in as the provider's user");
            Cookie session = browser.manage().getCookieNamed("tessera_session");
            assertTrue(session != null && session.isHttpOnly() && "Strict".equals(session.getSameSite()), String.valueOf(session));

            // the audit trail shows this user's own accesses, newest first, and finds them by text
            var studiesPage = browser.findElement(By.tagName("main"));
            browser.findElement(By.linkText("Audit")).click();
            PageChange.awaitReplaced(browser, studiesPage);
            String trail = browser.findElement(By.id("audit")).getText();
            assertTrue(trail.contains("night.operator") && trail.contains("GET /console/studies"), trail);
            browser.findElement(By.id("text")).sendKeys("/console/studies");
            var before = browser.findElement(By.tagName("main"));
            browser.findElement(By.cssSelector("form[action='/console/audit'] button")).click();
            // the rows read next must be the answer's, not the page the form was on
            PageChange.awaitReplaced(browser, before);
            var rows = browser.findElements(By.cssSelector("#audit tbody tr"));
            assertTrue(!rows.isEmpty() && rows.stream().allMatch(r -> r.getText().contains("/console/studies")),
                    browser.findElement(By.id("audit")).getText());
            Files.write(shots.resolve("audit.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
            service.stop();
        }
    }

    /** A login started at Tessera: the redirect to the provider, its query and the state cookie. */
    private final class Login {
        final Map<String, String> query;
        final String cookie, cookieHeader, location;

        Login(String location, String cookieHeader) {
            this.location = location;
            this.query = query(URI.create(location));
            this.cookieHeader = cookieHeader;
            this.cookie = cookieHeader.substring(0, cookieHeader.indexOf(';'));
        }

        /** Logs in at the provider's form as {@code user} with these ID token claims; the callback URL it redirects to. */
        String authorize(String user, String claimsJson) throws Exception {
            assertEquals(200, get(location, null).statusCode());
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(location))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                            + "&claims=" + URLEncoder.encode(claimsJson, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(302, r.statusCode(), r.body());
            String back = r.headers().firstValue("Location").orElseThrow();
            assertTrue(back.startsWith(base + "/login/oidc/callback?"), back);
            assertEquals(query.get("state"), query(URI.create(back)).get("state"));
            return back;
        }
    }

    private Login begin() throws Exception {
        HttpResponse<String> r = get(base + "/login/oidc", null);
        assertEquals(303, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(provider.issuer() + "/authorize?"), location);
        String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("tessera_oidc=")).findFirst().orElseThrow();
        Login l = new Login(location, cookie);
        assertNotEquals("", l.query.get("state"));
        return l;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String part : List.of(uri.getRawQuery().split("&"))) {
            int eq = part.indexOf('=');
            q.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static HttpResponse<String> get(String url, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (cookie != null) b.header("Cookie", cookie);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
