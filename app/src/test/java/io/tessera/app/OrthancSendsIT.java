package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.config.TesseraConfig;
import io.tessera.core.JobState;
import io.tessera.listener.InstanceRecord;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.FreePorts;
import io.tessera.testkit.OrthancPeer;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orthanc as the sending PACS, the way an administrator would do it: the study is uploaded to Orthanc over REST, then
 * Orthanc is told to C-STORE it to Tessera ({@code POST /modalities/tessera/store}). Tessera must take every instance,
 * file it under Orthanc's calling AE title, and process the study once.
 */
class OrthancSendsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir Path work;
    private OrthancPeer orthanc;
    private TesseraServer tessera;

    @AfterEach
    void stop() {
        if (tessera != null) tessera.close();
        if (orthanc != null) orthanc.close();
    }

    @Test
    void a_study_sent_by_orthanc_through_its_rest_store_is_indexed_under_orthanc_and_processed_once() throws Exception {
        int dicomPort = FreePorts.next();
        ServerConfig config = ServerConfig.in(work).dicomPort(dicomPort)
                .folder("results", work.resolve("results")).ctRoute(ServerConfig.CT_ORGANS, "results");
        TesseraConfig cfg = config.load();
        tessera = TesseraServer.start(cfg);
        orthanc = OrthancPeer.start(work.resolve("orthanc"), "\"tessera\": [\"TESSERA\", \"127.0.0.1\", " + tessera.dicomPort() + "]");

        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(4343).withLesionCount(1), work.resolve("study"));
        String studyUid = study.study().studyInstanceUid();
        String orthancStudyId = null;
        for (Path file : study.files()) {
            HttpResponse<String> r = postBytes(orthanc, "/instances", Files.readAllBytes(file));
            assertEquals(200, r.statusCode(), r.body());
            orthancStudyId = JSON.readTree(r.body()).path("ParentStudy").asText();
        }
        assertNotNull(orthancStudyId);

        HttpResponse<String> stored = orthanc.post("/modalities/tessera/store", orthancStudyId);
        assertEquals(200, stored.statusCode(), stored.body());
        JsonNode job = JSON.readTree(stored.body());
        assertEquals(0, job.path("FailedInstancesCount").asInt(-1), stored.body());
        assertEquals(study.files().size(), job.path("InstancesCount").asInt(), stored.body());

        List<InstanceRecord> instances = tessera.index().instances(studyUid);
        assertEquals(study.files().size(), instances.size(), "every instance Orthanc sent is indexed");
        assertEquals(Set.of(OrthancPeer.AE_TITLE), instances.stream().map(InstanceRecord::callingAe).collect(Collectors.toSet()));

        StudyRecord done = awaitFinal(studyUid, Duration.ofMinutes(3));
        assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failureReason().orElse(""));
        assertEquals(study.files().size(), done.instanceCount());
        try (Stream<Path> s = Files.list(work.resolve("results").resolve(studyUid))) {
            assertEquals(1, s.filter(p -> p.toString().endsWith(".dcm")).count(), "one SEG in the folder destination");
        }
    }

    private StudyRecord awaitFinal(String studyUid, Duration timeout) throws InterruptedException {
        return tessera.awaitFinal(studyUid, timeout);
    }

    /**
     * POST of a file's bytes. Orthanc closes idle keep-alive connections after about a second, which can race with the
     * next request on a pooled connection ("header parser received no bytes"); storing an instance again is harmless
     * in Orthanc, so such a request is retried.
     */
    private static HttpResponse<String> postBytes(OrthancPeer peer, String path, byte[] body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return postOnce(peer, path, body);
            } catch (java.io.IOException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static HttpResponse<String> postOnce(OrthancPeer peer, String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + peer.httpPort() + path))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/dicom")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
