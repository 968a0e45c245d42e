package io.tessera.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.core.JobState;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DICOM destination that accepts the connection and never answers (a hung PACS: a plain socket on loopback) beside
 * a folder destination, both on one route with the hung one first. The folder gets the SEG while the hung
 * destination's first attempt is still waiting for its timeout; the hung destination's entry ends the attempt at its
 * timeout, is retried, and is parked with a reason that says it timed out.
 */
class HungDestinationIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Duration PACS_TIMEOUT = Duration.ofSeconds(15);

    @TempDir Path work;
    TesseraServer tessera;
    ServerSocket hung;
    final List<Socket> held = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws IOException {
        if (tessera != null) tessera.close();
        if (hung != null) hung.close();
        for (Socket s : held) s.close();
    }

    @Test
    void a_hung_pacs_does_not_hold_the_folder_destination_and_is_parked_after_its_timeouts() throws Exception {
        hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) held.add(hung.accept()); // accepted, never answered
            } catch (IOException closed) {
                // the test is over
            }
        }, "hung-pacs");
        acceptor.setDaemon(true);
        acceptor.start();
        Path folder = work.resolve("folder");
        ServerConfig config = ServerConfig.in(work).quietPeriod("500ms")
                .section("delivery: { initialBackoff: 100ms, maxBackoff: 1s, maxAttempts: 2, breakerFailures: 3 }")
                .dicom("pacs", "HUNG", hung.getLocalPort(), "timeout: " + PACS_TIMEOUT.toSeconds() + "s").folder("folder", folder)
                .ctRoute(ServerConfig.CT_ORGANS, "pacs", "folder");
        tessera = config.start();
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(4601).withLesionCount(1), work.resolve("study"));
        String uid = study.study().studyInstanceUid();
        ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "STORESCU", "TESSERA", study.files());
        assertEquals(0, sent.exitCode(), sent.output());

        // the SEG is in the outbox for both destinations, and the hung PACS holds an association attempt open
        await().atMost(Duration.ofMinutes(2)).until(() -> !held.isEmpty());
        long attemptStarted = System.nanoTime();
        await().atMost(PACS_TIMEOUT.dividedBy(2)).until(() -> segsIn(folder.resolve(uid)) == 1);
        Duration folderAfter = Duration.ofNanos(System.nanoTime() - attemptStarted);
        JsonNode pacs = pacsEntry();
        assertEquals(0, pacs.path("attempts").asInt(), "the folder got the SEG " + folderAfter
                + " into the PACS's first attempt, before it ended: " + pacs);
        assertEquals("PENDING", pacs.path("state").asText(), pacs.toString());
        assertEquals(JobState.DELIVERING, tessera.index().study(uid).orElseThrow().state(), "the study waits for the PACS");

        StudyRecord parked = tessera.awaitFinal(uid, PACS_TIMEOUT.multipliedBy(4));
        assertEquals(JobState.PARKED, parked.state());
        String reason = parked.failureReason().orElse("");
        assertTrue(reason.contains("delivery to 'pacs' parked") && reason.contains("gave up after 2 attempt(s)")
                && reason.contains("TSR-0702") && reason.contains("timeout"), reason);
        JsonNode entry = pacsEntry();
        assertEquals("PARKED", entry.path("state").asText(), entry.toString());
        assertEquals(2, entry.path("attempts").asInt(), "retried once after the first timeout: " + entry);
        assertTrue(held.size() >= 2, "each attempt opened its own connection: " + held.size());
        assertEquals(1, segsIn(folder.resolve(uid)), "the folder holds the SEG once");

        JsonNode job = JSON.readTree(get("/api/jobs")).path("jobs").get(0);
        assertEquals(study.seriesInstanceUid(), job.path("seriesUid").asText(), "the job record names its series: " + job);
    }

    private JsonNode pacsEntry() throws Exception {
        for (JsonNode e : JSON.readTree(get("/api/outbox"))) {
            if ("pacs".equals(e.path("destination").asText())) return e;
        }
        return fail("no outbox entry for the PACS");
    }

    private static long segsIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".dcm")).count();
        }
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(tessera.httpBaseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
