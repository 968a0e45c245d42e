package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.core.JobState;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.ScannerStudy;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One job of a study fails (its series has missing slices and the site refuses uneven spacing): that job alone is
 * recorded FAILED with its code, the other reconstruction's SEG is made and delivered, and the study says
 * DONE_WITH_FAILURES with the failure as its reason — not FAILED, not DONE.
 */
class OneFailedJobIT {
    @TempDir Path work;

    @Test
    void a_failed_job_fails_only_itself_and_the_study_is_done_with_failures() throws Exception {
        ServerConfig config = ServerConfig.in(work).section("inference: { geometry: { irregularSpacing: refuse } }")
                .folder("results", work.resolve("results")).ctRoute(ServerConfig.CT_ORGANS, "results");
        ScannerStudy study = ScannerStudy.of(new PhantomSpec(8802, 96, 96, 48, 4.0, 3.0, 1, PhantomSpec.DEFAULT_NOISE_HU, 1))
                .write(work.resolve("study"));
        List<Path> thick = study.series(ScannerStudy.AXIAL_THICK).files();
        assertTrue(thick.size() >= 12, "thick reconstruction: " + thick.size());
        List<Path> send = new ArrayList<>(study.files());
        // three slices missing in the middle of the thick reconstruction: uneven spacing, refused by the site's policy
        for (int i = thick.size() / 2 - 1; i <= thick.size() / 2 + 1; i++) send.remove(thick.get(i));

        try (TesseraServer tessera = config.start()) {
            ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "STORESCU", "TESSERA", send);
            assertEquals(0, sent.exitCode(), sent.output());
            StudyRecord done = tessera.awaitFinal(study.study().studyInstanceUid(), Duration.ofMinutes(4));
            assertEquals(JobState.DONE_WITH_FAILURES, done.state(), done.toString());
            assertTrue(done.failureReason().orElse("").contains("TSR-0204"), done.failureReason().orElse(""));
            assertTrue(done.failureReason().orElse("").contains(study.series(ScannerStudy.AXIAL_THICK).seriesInstanceUid()),
                    "the reason names the series: " + done.failureReason().orElse(""));

            try (Stream<Path> s = Files.walk(work.resolve("results"))) {
                assertEquals(1, s.filter(p -> p.toString().endsWith(".dcm")).count(), "the good reconstruction's SEG");
            }
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(tessera.httpBaseUrl() + "/api/jobs")).build(), HttpResponse.BodyHandlers.ofString());
            List<String> outcomes = new ArrayList<>();
            for (JsonNode j : new ObjectMapper().readTree(r.body()).path("jobs")) {
                String series = j.path("seriesUid").asText();
                String role = series.equals(study.series(ScannerStudy.AXIAL).seriesInstanceUid()) ? "axial" : "thick";
                outcomes.add(role + ":" + j.path("state").asText() + ":" + j.path("code").asText());
            }
            outcomes.sort(null);
            assertEquals(List.of("axial:DONE:null", "thick:FAILED:TSR-0204"), outcomes, r.body());
        }
    }
}
