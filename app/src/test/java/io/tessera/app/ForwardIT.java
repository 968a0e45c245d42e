package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.core.JobState;
import io.tessera.core.SourceSeries;
import io.tessera.dicomio.DicomHeaders;
import io.tessera.dicomio.SeriesReader;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rule with destinations and no model forwards the study as received: same SOP Instance UIDs, same pixels, in Orthanc. */
class ForwardIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path work;

    @Test
    void a_forward_rule_delivers_the_study_unchanged_to_the_pacs() throws Exception {
        try (OrthancPeer orthanc = OrthancPeer.start(work.resolve("orthanc"), null)) {
            ServerConfig config = ServerConfig.in(work).quietPeriod("500ms").section("delivery: { initialBackoff: 200ms, maxBackoff: 1s }")
                    .dicom("pacs", "ORTHANC", orthanc.dicomPort())
                    .route("name: forward-ct, match: { modality: CT }, models: [], destinations: [pacs]");
            PhantomStudy study = PhantomStudy.write(new PhantomSpec(11, 48, 40, 8, 8.0, 10.0, 0, 12.0, 1), work.resolve("study"));
            try (TesseraServer tessera = config.start()) {
                ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "CT1", "TESSERA", study.files());
                assertEquals(0, sent.exitCode(), sent.output());
                StudyRecord done = tessera.awaitFinal(study.study().studyInstanceUid(), Duration.ofSeconds(60));
                assertEquals(JobState.DONE, done.state(), () -> done.failureReason().orElse(""));
            }

            Set<String> sentUids = new TreeSet<>();
            for (Path f : study.files()) sentUids.add(DicomHeaders.read(f).get("SOPInstanceUID"));
            JsonNode instances = JSON.readTree(orthanc.post("/tools/find", "{\"Level\":\"Instance\",\"Expand\":true,\"Query\":"
                    + "{\"StudyInstanceUID\":\"" + study.study().studyInstanceUid() + "\"}}").body());
            Set<String> received = new TreeSet<>();
            List<Path> downloaded = new ArrayList<>();
            HttpClient http = HttpClient.newHttpClient();
            for (JsonNode i : instances) {
                received.add(i.path("MainDicomTags").path("SOPInstanceUID").asText());
                Path f = work.resolve("from-orthanc").resolve(i.path("ID").asText() + ".dcm");
                Files.createDirectories(f.getParent());
                HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + orthanc.httpPort()
                        + "/instances/" + i.path("ID").asText() + "/file")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofFile(f));
                assertEquals(200, r.statusCode());
                downloaded.add(f);
            }
            assertEquals(sentUids, received, "the same SOP Instance UIDs, each once");
            SourceSeries original = new SeriesReader().read(study.files());
            SourceSeries forwarded = new SeriesReader().read(downloaded);
            assertArrayEquals(original.volume().voxels(), forwarded.volume().voxels(), "the same pixel data");
            assertEquals(0, JSON.readTree(orthanc.findSeries(study.study().studyInstanceUid(), "SEG")).size(), "no model ran");
        }
    }

}
