package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.core.JobState;
import io.tessera.core.LabelMap;
import io.tessera.core.SourceSeries;
import io.tessera.dicomio.SegReader;
import io.tessera.dicomio.SeriesReader;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.TwoSequenceMrStudy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model of two MR sequences through the running server: a T1 and a FLAIR series of one study (one frame of
 * reference, different grids) sent by dcmtk storescu; the route picks the T1, the planner finds the FLAIR by its
 * description, the job samples it at the T1 voxels, and the two-channel reference package segments body (seen only in
 * T1) and lesion (seen only in FLAIR). Dice against the analytic truth on the T1 grid shows both channels were used and
 * aligned. A study with the T1 alone is not run: the series is listed as skipped, saying which series is missing.
 */
class MultiSequenceMrIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path work;

    @Test
    void t1_and_flair_are_one_two_channel_input_and_a_study_without_flair_says_what_is_missing() throws Exception {
        TwoSequenceMrStudy both = TwoSequenceMrStudy.write(71, work.resolve("both"), true);
        TwoSequenceMrStudy t1Only = TwoSequenceMrStudy.write(72, work.resolve("t1-only"), false);
        ServerConfig config = ServerConfig.in(work).folder("results", work.resolve("results"))
                .route("name: mr-lesions, match: { modality: MR, seriesDescription: '(?i)t1' }, models: [mr-phantom-two-sequence],"
                        + " destinations: [results]");
        try (TesseraServer server = config.start()) {
            List<Path> files = new ArrayList<>(both.t1());
            files.addAll(both.flair());
            ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", server.dicomPort(), "STORESCU", "TESSERA", files);
            assertEquals(0, sent.exitCode(), sent.output());
            StudyRecord done = server.awaitFinal(both.study().studyInstanceUid(), Duration.ofMinutes(3));
            assertEquals(JobState.DONE, done.state(), () -> done.failureReason().orElse(""));

            List<Path> segs;
            try (Stream<Path> s = Files.list(work.resolve("results").resolve(both.study().studyInstanceUid()))) {
                segs = s.filter(p -> p.toString().endsWith(".dcm")).toList();
            }
            assertEquals(1, segs.size(), "one SEG, on the T1 series: " + segs);
            SourceSeries t1 = new SeriesReader().read(both.t1());
            LabelMap found = new SegReader().readOnto(segs.get(0), t1);
            LabelMap truth = new LabelMap(t1.volume().grid(), both.truthOnT1());
            double body = found.dice(truth, 1), lesion = found.dice(truth, 2);
            System.out.printf(Locale.ROOT, "two-sequence MR (T1 + FLAIR on another grid), seed 71: Dice body %.3f, lesion %.3f%n",
                    body, lesion);
            assertTrue(body >= 0.9, "body (T1 only) Dice " + body);
            assertTrue(lesion >= 0.8, "lesion (FLAIR only, sampled at the T1 voxels) Dice " + lesion);
            ExternalTool.Result v = ExternalTool.dciodvfy(segs.get(0));
            assertFalse(v.output().lines().anyMatch(l -> l.startsWith("Error")), v.output());

            ExternalTool.Result sent2 = ExternalTool.storescu("127.0.0.1", server.dicomPort(), "STORESCU", "TESSERA", t1Only.t1());
            assertEquals(0, sent2.exitCode(), sent2.output());
            server.awaitFinal(t1Only.study().studyInstanceUid(), Duration.ofMinutes(3));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.httpBaseUrl() + "/api/studies")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode entry = null;
            for (JsonNode s : JSON.readTree(r.body()).path("studies")) {
                if (s.path("studyInstanceUid").asText().equals(t1Only.study().studyInstanceUid())) entry = s;
            }
            assertNotNull(entry, r.body());
            JsonNode skipped = entry.path("skipped");
            assertEquals(1, skipped.size(), entry.toString());
            assertEquals("channel", skipped.get(0).path("kind").asText());
            assertTrue(skipped.get(0).path("reason").asText().contains("also needs a 'flair' series"), skipped.toString());
            assertFalse(Files.exists(work.resolve("results").resolve(t1Only.study().studyInstanceUid())), "no result without FLAIR");
        }
    }
}
