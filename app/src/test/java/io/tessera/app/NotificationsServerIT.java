package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.JobState;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.MllpListener;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running server notifies an EHR of a new result both ways: a rest-hook Subscription made on its own FHIR
 * endpoint gets the report within 5 s of it being stored, and an {@code hl7} destination gets an ORU^R01 — after a CT
 * study arrives by storescu and the model runs.
 */
class NotificationsServerIT {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir Path work;
    TesseraServer tessera;
    Server receiver;
    MllpListener ris;

    /** Receipts of the EHR's hook: when, and the path (the report's type and id). */
    static final class Hook extends HttpServlet {
        record Got(Instant at, String path) {}

        final List<Got> got = new CopyOnWriteArrayList<>();

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
            req.getInputStream().readAllBytes();
            got.add(new Got(Instant.now(), req.getRequestURI()));
            resp.setStatus(200);
        }
    }

    private int reportCount() throws Exception {
        String json = HTTP.send(HttpRequest.newBuilder(URI.create(tessera.httpBaseUrl() + "/fhir/DiagnosticReport?_summary=count"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        return ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
                .parseResource(org.hl7.fhir.r4.model.Bundle.class, json).getTotal();
    }

    @AfterEach
    void stop() throws Exception {
        if (tessera != null) tessera.close();
        if (receiver != null) receiver.stop();
        if (ris != null) ris.close();
    }

    @Test
    void a_new_result_reaches_a_rest_hook_within_5_s_and_the_ris_as_an_oru() throws Exception {
        Hook hook = new Hook();
        receiver = new Server();
        ServerConnector connector = new ServerConnector(receiver);
        connector.setHost("127.0.0.1");
        receiver.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(hook), "/*");
        receiver.setHandler(context);
        receiver.start();
        ris = new MllpListener();
        tessera = ServerConfig.in(work).quietPeriod("500ms")
                .section("delivery: { initialBackoff: 100ms, maxBackoff: 500ms }")
                .destination("name: ris, type: hl7, host: 127.0.0.1, port: " + ris.port() + ", timeout: 5s,"
                        + " hl7: { receivingApplication: RIS, receivingFacility: HOSP }")
                .ctRoute(ServerConfig.CT_ORGANS, "ris").start();

        String subscription = """
                {"resourceType":"Subscription","status":"requested","reason":"AI results for the EHR",
                 "criteria":"DiagnosticReport?category=RAD","channel":{"type":"rest-hook",
                 "endpoint":"http://127.0.0.1:%d/ehr","payload":"application/fhir+json"}}"""
                .formatted(connector.getLocalPort());
        HttpResponse<String> made = HTTP.send(HttpRequest.newBuilder(URI.create(tessera.httpBaseUrl() + "/fhir/Subscription"))
                .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(subscription)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, made.statusCode(), made.body());

        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(4701).withLesionCount(1), work.resolve("study"));
        ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "STORESCU", "TESSERA", study.files());
        assertEquals(0, sent.exitCode(), sent.output());
        String uid = study.study().studyInstanceUid();
        // the result counts as new once an EHR could read it: poll the endpoint as one would
        Instant readable = Awaits.within(Duration.ofMinutes(3), Duration.ofMillis(50)).until(
                () -> reportCount() > 0 ? Instant.now() : null, t -> t != null);
        Awaits.within(Duration.ofSeconds(10)).until(() -> !hook.got.isEmpty());
        Hook.Got got = hook.got.get(0);
        long lag = Duration.between(readable, got.at()).toMillis();
        assertTrue(lag < 5000, "notified " + lag + " ms after the report could be read");
        assertTrue(got.path().startsWith("/ehr/DiagnosticReport/"), got.path());
        StudyRecord done = tessera.awaitFinal(uid, Duration.ofMinutes(3));
        assertEquals(JobState.DONE, done.state(), () -> "reason: " + done.failureReason().orElse(""));
        assertEquals(1, hook.got.size(), "one report, one notification");

        Awaits.within(Duration.ofSeconds(10)).until(() -> !ris.received.isEmpty());
        List<String> segments = Arrays.asList(ris.received.get(0).split("\r"));
        assertEquals("ORU^R01^ORU_R01", MllpListener.field(ris.received.get(0), 9));
        assertEquals("RIS", MllpListener.field(ris.received.get(0), 5));
        assertTrue(segments.stream().anyMatch(s -> s.startsWith("PID|1||")), segments.toString());
        assertTrue(segments.stream().anyMatch(s -> s.startsWith("OBR|1|") && s.endsWith("|RAD|P")), segments.toString());
        assertTrue(segments.stream().anyMatch(s -> s.contains("|ST|110180^Study Instance UID^DCM||" + uid + "|")), segments.toString());
        assertTrue(segments.stream().anyMatch(s -> s.matches("OBX\\|\\d+\\|NM\\|.*\\^UCUM\\|.*")), segments.toString());
    }
}
