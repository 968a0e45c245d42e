package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.app.console.ConsoleUsers;
import io.tessera.core.Grid;
import io.tessera.core.JobState;
import io.tessera.core.LabelMap;
import io.tessera.core.SourceSeries;
import io.tessera.dicomio.DicomHeaders;
import io.tessera.dicomio.KeyImageRenderer;
import io.tessera.dicomio.SegReader;
import io.tessera.dicomio.SeriesReader;
import io.tessera.routes.OutboxEntry;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.FreePorts;
import io.tessera.testkit.OrthancPeer;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console in Debian's headless Chromium (its own chromedriver: nothing is downloaded): refused without a login,
 * a wrong password and then the right one, a study arriving and its result parked by a PACS that refuses Tessera's AE
 * title, its key image decoded and checked against the SEG, the parked entry replayed with the outbox page's button
 * once the PACS is fixed, and the study DONE. Each page is saved as a screenshot under {@code target/console-screenshots}.
 */
class ConsoleBrowserIT {
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir Path work;
    TesseraServer tessera;
    OrthancPeer orthanc;
    ChromeDriverService service;
    ChromeDriver browser;

    @AfterEach
    void stop() throws Exception {
        if (browser != null) browser.quit();
        if (service != null) service.stop();
        ServerConfig.stop(tessera, orthanc);
    }

    @Test
    void an_operator_logs_in_sees_a_study_and_its_key_image_and_replays_its_parked_result() throws Exception {
        Path users = work.resolve("console-users");
        Files.writeString(users, "night-operator:" + ConsoleUsers.hash("a long night".toCharArray()) + ":tessera/admin system/*.read\n");
        int pacsPort = FreePorts.next();
        orthanc = OrthancPeer.start(work.resolve("orthanc-wrong-ae"), "NOT_ORTHANC", pacsPort, true);
        tessera = ServerConfig.in(work).quietPeriod("500ms")
                .section("console: { usersFile: " + users + " }")
                .section("delivery: { initialBackoff: 100ms, maxBackoff: 1s, maxAttempts: 1000, breakerFailures: 3 }")
                .dicom("pacs", "ORTHANC", pacsPort).ctRoute(ServerConfig.CT_ORGANS, "pacs").start();
        String base = tessera.httpBaseUrl();

        // refused without a login: pages go to the login form, the API answers 401
        assertEquals(303, status(base + "/console/studies"));
        assertEquals(401, status(base + "/api/studies"));
        startBrowser();
        browser.get(base + "/");
        assertTrue(browser.getCurrentUrl().endsWith("/login"), browser.getCurrentUrl());
        shot("login");
        logIn("night-operator", "not the password");
        List<WebElement> alert = browser.findElements(By.cssSelector("[role=alert]"));
        assertTrue(!alert.isEmpty() && alert.get(0).getText().contains("Wrong name or password"), browser.getPageSource());
        logIn("night-operator", "a long night");
        assertTrue(browser.getCurrentUrl().endsWith("/console/studies"), browser.getCurrentUrl());
        Cookie session = browser.manage().getCookieNamed("tessera_session");
        assertTrue(session.isHttpOnly() && "Strict".equals(session.getSameSite()), session.toString());

        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(4701).withLesionCount(1), work.resolve("study"));
        String uid = study.study().studyInstanceUid();
        ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "CT_SCANNER", "TESSERA", study.files());
        assertEquals(0, sent.exitCode(), sent.output());
        awaitRow(uid, "PARKED");
        WebElement row = browser.findElement(By.cssSelector("tr[data-study='" + uid + "']"));
        assertTrue(row.getText().contains("CT_SCANNER") && row.getText().contains(Integer.toString(study.files().size())), row.getText());
        shot("studies-parked");

        // searched by accession number (a POST: the number stays out of the URL) and filtered by state
        search(study.study().accessionNumber());
        assertEquals(1, browser.findElements(By.cssSelector("tr[data-study='" + uid + "']")).size());
        assertTrue(browser.getCurrentUrl().endsWith("/console/studies"), browser.getCurrentUrl());
        shot("studies-search");
        search("NO-SUCH-ACCESSION");
        assertTrue(browser.findElements(By.cssSelector("tr[data-study]")).isEmpty());
        browser.get(base + "/console/studies?state=DONE");
        assertTrue(browser.findElements(By.cssSelector("tr[data-study]")).isEmpty(), "not DONE yet");
        browser.get(base + "/console/studies?state=PARKED");
        row = browser.findElement(By.cssSelector("tr[data-study='" + uid + "']"));

        // the study page and its key image, checked against the SEG Tessera wrote
        row.findElement(By.linkText("Open study " + uid)).click();
        assertEquals("PARKED", browser.findElement(By.id("state")).getText());
        assertTrue(browser.findElement(By.id("jobs")).getText().contains(ServerConfig.CT_ORGANS));
        assertTrue(browser.findElement(By.id("study-outbox")).getText().contains("PARKED"));
        WebElement img = browser.findElement(By.cssSelector("figure.key-image img"));
        Awaits.within(Duration.ofSeconds(30), Duration.ofMillis(200)).until(() -> Boolean.TRUE.equals(
                browser.executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", img)));
        shot("study");
        HttpResponse<byte[]> png = HTTP.send(HttpRequest.newBuilder(URI.create(img.getAttribute("src")))
                .header("Cookie", "tessera_session=" + browser.manage().getCookieNamed("tessera_session").getValue()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        checkOutlines(ImageIO.read(new ByteArrayInputStream(png.body())), uid, study.files());
        HttpResponse<String> fhir = HTTP.send(HttpRequest.newBuilder(URI.create(browser.findElement(
                By.partialLinkText("FHIR ImagingStudy")).getAttribute("href"))).header("Cookie", "tessera_session="
                + browser.manage().getCookieNamed("tessera_session").getValue()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, fhir.statusCode(), fhir.body());
        com.fasterxml.jackson.databind.JsonNode bundle = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fhir.body());
        assertEquals("ImagingStudy", bundle.path("entry").path(0).path("resource").path("resourceType").asText(), fhir.body());
        assertTrue(fhir.body().contains(uid), "the link finds the study's ImagingStudy");

        // the models and listener pages show the API's data
        browser.findElement(By.linkText("Models")).click();
        assertTrue(browser.findElement(By.id("models")).getText().contains(ServerConfig.CT_ORGANS));
        shot("models");
        browser.findElement(By.linkText("Listener")).click();
        assertFalse(browser.findElement(By.tagName("main")).getText().isBlank());
        shot("listener");

        // the PACS fixed, the parked entry replayed with the outbox page's button
        orthanc.close();
        orthanc = OrthancPeer.start(work.resolve("orthanc-fixed"), "ORTHANC", pacsPort, true);
        browser.findElement(By.linkText("Outbox")).click();
        OutboxEntry parked = tessera.outbox().store().open().get(0);
        assertEquals(OutboxEntry.State.PARKED, parked.state());
        WebElement entry = browser.findElement(By.cssSelector("tr[data-entry='" + parked.id() + "']"));
        assertTrue(entry.getText().contains("PARKED"), entry.getText());
        shot("outbox-parked");
        entry.findElement(By.cssSelector("button[type=submit]")).click();
        assertTrue(browser.findElement(By.cssSelector("[role=status]")).getText().contains("pending again"));
        browser.findElement(By.linkText("Studies")).click();
        awaitRow(uid, "DONE");
        shot("studies-done");
        assertEquals(JobState.DONE, tessera.index().study(uid).orElseThrow().state());
        assertEquals(OutboxEntry.State.SENT, tessera.outbox().store().get(parked.id()).orElseThrow().state());
        assertEquals(1, OrthancSegs.count(orthanc, uid), "Orthanc holds the SEG once");

        // logged out, the pages ask for the login again
        browser.findElement(By.cssSelector("form.logout button")).click();
        // the click only submits the form: wait for the answer's page before reading where we are
        new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(20))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.urlMatches(".*/login$"));
        assertTrue(browser.getCurrentUrl().endsWith("/login"), browser.getCurrentUrl());
        browser.get(base + "/console/outbox");
        assertTrue(browser.getCurrentUrl().endsWith("/login"), browser.getCurrentUrl());
    }

    /** On the slice with the most segmented voxels, each segment's border voxels are drawn in its recommended colour. */
    private static void checkOutlines(BufferedImage png, String uid, List<Path> sourceFiles) throws Exception {
        Path seg;
        try (Stream<Path> files = Files.list(Path.of("").resolve(resultsOf(uid)))) {
            seg = files.filter(f -> {
                try {
                    return "SEG".equals(DicomHeaders.read(f).get("Modality"));
                } catch (java.io.IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
        }
        SourceSeries source = new SeriesReader().read(sourceFiles);
        LabelMap labels = new SegReader().readOnto(seg, source);
        Grid g = labels.grid();
        int plane = g.nx() * g.ny(), busiest = 0;
        long most = -1;
        for (int k = 0; k < g.nz(); k++) {
            long n = 0;
            for (int p = 0; p < plane; p++) if (labels.labels()[k * plane + p] != 0) n++;
            if (n > most) {
                most = n;
                busiest = k;
            }
        }
        assertTrue(most > 0, "the SEG has segmented voxels");
        assertEquals(0, png.getWidth() % g.nx());
        int scale = png.getWidth() / g.nx();
        Map<Integer, int[]> colours = KeyImageRenderer.segmentColours(seg);
        int checked = 0;
        for (int j = 1; j < g.ny() - 1; j++) {
            for (int i = 1; i < g.nx() - 1; i++) {
                int label = labels.labels()[busiest * plane + j * g.nx() + i] & 0xff;
                if (label == 0 || !KeyImageRenderer.edge(labels.labels(), g, i, j, busiest)) continue;
                int[] c = colours.get(label);
                assertNotNull(c, "segment " + label + " has a recommended colour");
                int rgb = png.getRGB(i * scale + scale / 2, j * scale + scale / 2) & 0xffffff;
                assertEquals(c[0] << 16 | c[1] << 8 | c[2], rgb, "segment " + label + " at " + i + "," + j);
                checked++;
            }
        }
        assertTrue(checked > 0, "border voxels were checked");
    }

    private static Path resultsOf(String uid) {
        return CURRENT_WORK.get().resolve("var/results").resolve(uid);
    }

    private static final ThreadLocal<Path> CURRENT_WORK = new ThreadLocal<>();

    private void startBrowser() throws Exception {
        CURRENT_WORK.set(work);
        Files.createDirectories(SHOTS);
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingPort(FreePorts.next()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + work.resolve("chromium-profile"));
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
    }

    private void logIn(String name, String password) {
        browser.findElement(By.id("username")).sendKeys(name);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("form.login button[type=submit]")).click();
    }

    /** Reloads the studies list until the study's row shows {@code state}. */
    private void awaitRow(String uid, String state) {
        Awaits.within(Duration.ofMinutes(3), Duration.ofMillis(500)).until(() -> {
            browser.navigate().refresh();
            List<WebElement> rows = browser.findElements(By.cssSelector("tr[data-study='" + uid + "'] .state"));
            return !rows.isEmpty() && rows.get(0).getText().equals(state);
        });
    }

    /** Submits the search and waits for the answer's page (the rows read next must not be the old page's). */
    private void search(String query) {
        WebElement q = browser.findElement(By.id("q"));
        q.clear();
        q.sendKeys(query);
        WebElement before = browser.findElement(By.tagName("main"));
        browser.findElement(By.cssSelector("form[method=post][action='/console/studies'] button")).click();
        PageChange.awaitReplaced(browser, before);
    }

    private void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
