package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export still in flight when the server is told to stop: the stop waits for it, and its audit line is written —
 * the audit log is closed last, after the outbox, not with the DICOM listener.
 */
class AuditDuringStopIT {
    @TempDir Path work;

    @Test
    void an_export_that_ends_while_the_server_stops_is_in_the_audit_log() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        // an EHR that takes its time: it answers only once the test has started the stop
        HttpServer ehr = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ehr.createContext("/fhir", exchange -> {
            exchange.getRequestBody().readAllBytes();
            arrived.countDown();
            try {
                answer.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        ehr.start();
        try {
            ServerConfig config = ServerConfig.in(work)
                    .destination("name: ehr, type: fhir, url: 'http://127.0.0.1:" + ehr.getAddress().getPort() + "/fhir', timeout: 20s")
                    .ctRoute(ServerConfig.CT_ORGANS, "ehr");
            PhantomStudy study = PhantomStudy.write(PhantomSpec.small(4343), work.resolve("study"));
            TesseraServer tessera = config.start();
            ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "STORESCU", "TESSERA", study.files());
            assertEquals(0, sent.exitCode(), sent.output());
            assertTrue(arrived.await(120, TimeUnit.SECONDS), "the result reached the EHR");

            Thread stopping = new Thread(tessera::close, "test-stop");
            stopping.start();
            Thread.sleep(500); // the stop is under way: intake, jobs and routes are stopping around the send
            answer.countDown();
            stopping.join(60_000);
            assertFalse(stopping.isAlive(), "the stop ended");

            List<String> audit = Files.readAllLines(work.resolve("var/audit/audit.log"));
            assertTrue(audit.stream().anyMatch(l -> l.contains("\"event\":\"export\"") && l.contains("\"destination\":\"ehr\"")
                    && l.contains("\"outcome\":\"success\"") && l.contains(study.study().studyInstanceUid())),
                    "the export made during the stop is audited: " + audit);
        } finally {
            ehr.stop(0);
        }
    }
}
