package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.JobState;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} read by a strict Prometheus text-format parser before and after one study went through a model and
 * a folder destination: each counter moved by what happened, and no more.
 */
class MetricsIT {
    @TempDir
    Path work;

    @Test
    void one_study_moves_each_counter_by_what_happened() throws Exception {
        ServerConfig config = ServerConfig.in(work).quietPeriod("500ms").folder("results", work.resolve("results"))
                .ctRoute(ServerConfig.CT_ORGANS, "results");
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(515), work.resolve("study"));
        int files = study.files().size();
        try (TesseraServer tessera = config.start()) {
            PrometheusText before = scrape(tessera);
            assertEquals("counter", before.types.get("tessera_dicom_instances_received_total"));
            ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "CT1", "TESSERA", study.files());
            assertEquals(0, sent.exitCode(), sent.output());
            StudyRecord done = tessera.awaitFinal(study.study().studyInstanceUid(), Duration.ofMinutes(3));
            assertEquals(JobState.DONE, done.state(), () -> done.failureReason().orElse(""));
            PrometheusText after = scrape(tessera);

            assertEquals(files, delta(before, after, "tessera_dicom_instances_received_total"));
            // data sets as sent: the files less their Part 10 header, give or take a transfer syntax's VR lengths
            long fileBytes = 0;
            for (Path f : study.files()) fileBytes += java.nio.file.Files.size(f);
            double bytes = delta(before, after, "tessera_dicom_received_bytes_total");
            assertTrue(bytes > 0.9 * fileBytes && bytes <= fileBytes, bytes + " bytes counted for " + fileBytes + " bytes of files");
            assertEquals(1, delta(before, after, "tessera_dicom_associations_total", "outcome", "accepted"));
            assertEquals(0, after.sum("tessera_dicom_instances_refused_total") - before.sum("tessera_dicom_instances_refused_total"));
            assertEquals(1, after.value("tessera_studies", "state", "DONE"));
            assertEquals(0, after.value("tessera_studies", "state", "QUEUED"));
            assertEquals(1, delta(before, after, "tessera_completion_wait_seconds_count"));
            assertTrue(after.value("tessera_completion_wait_seconds_sum") >= 0.5, "waited at least the quiet period");
            String[] job = {"model", ServerConfig.CT_ORGANS, "outcome", "done"};
            String[] model = {"model", ServerConfig.CT_ORGANS};
            assertEquals(1, after.sum("tessera_job_seconds_count", job) - before.sum("tessera_job_seconds_count", job),
                    () -> after.samples.keySet().stream().filter(k -> k.startsWith("tessera_job")).toList().toString());
            assertEquals(1, after.sum("tessera_job_model_seconds_count", model) - before.sum("tessera_job_model_seconds_count", model));
            assertTrue(after.sum("tessera_job_model_seconds_sum", model) <= after.sum("tessera_job_seconds_sum", job),
                    "the model's time is part of the job's");
            double sentResults = delta(before, after, "tessera_outbox_attempts_total", "destination", "results", "outcome", "sent");
            assertTrue(sentResults >= 1, "the SEG went to the folder");
            assertEquals(0, after.value("tessera_outbox_entries", "destination", "results", "state", "PENDING"));
            assertEquals(0, after.value("tessera_outbox_entries", "destination", "results", "state", "PARKED"));
            assertEquals(0, after.value("tessera_outbox_circuit_open", "destination", "results"));
            assertTrue(after.sum("jvm_memory_used_bytes") > 0);
            assertTrue(after.samples.keySet().stream().anyMatch(k -> k.startsWith("jetty_threads")), "Jetty's pool");
            assertTrue(after.samples.keySet().stream().noneMatch(k -> k.contains("PHANTOM") || k.contains("Phantom")),
                    "no patient identity in any label");
            assertEquals(0, after.value("tessera_reports_total", "channel", "hl7", "outcome", "rejected"),
                    "declared at zero before any report");
            assertDashboardQueriesExistingMetrics(after);
        }
    }

    /** Every metric the Grafana dashboard in docker/ queries is one this server exports. */
    private static void assertDashboardQueriesExistingMetrics(PrometheusText scraped) throws Exception {
        String dashboard = java.nio.file.Files.readString(Path.of("..", "docker", "grafana", "dashboards", "tessera.json"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b((?:tessera|jvm)_[a-z0-9_]+)").matcher(dashboard);
        java.util.Set<String> names = new java.util.TreeSet<>();
        while (m.find()) names.add(m.group(1));
        assertTrue(names.size() >= 10, names.toString());
        for (String name : names) {
            assertTrue(scraped.samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{")),
                    "the dashboard queries " + name + ", which /metrics does not export");
        }
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private static PrometheusText scrape(TesseraServer tessera) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(tessera.httpBaseUrl() + "/metrics")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        return PrometheusText.parse(r.body());
    }
}
