package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.core.Grid;
import io.tessera.core.JobState;
import io.tessera.core.StudyInfo;
import io.tessera.core.Volume;
import io.tessera.dicomio.CtSeriesSpec;
import io.tessera.dicomio.CtSeriesWriter;
import io.tessera.config.MatchConfig;
import io.tessera.config.RouteConfig;
import io.tessera.listener.InstanceRecord;
import io.tessera.listener.StudyIndex;
import io.tessera.listener.StudyRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wiring: a quiet study is claimed, queued and processed; a study that cannot be read ends FAILED with its reason. */
class TesseraRoutesTest {
    @TempDir Path dir;
    StudyIndex index;
    CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        index = new StudyIndex(StudyIndex.defaultJdbcUrl(dir), dir);
        StudyPlanner planner = new StudyPlanner(List.of(new RouteConfig("ct", new MatchConfig("MR", null, null, null, null),
                List.of("m"), List.of())), List.of());
        // No job can run without models; the unreadable spool file makes planning fail before any job is needed.
        StudyProcessor processor = new StudyProcessor(index, planner, (job, stages, report) -> {
            throw new AssertionError("no job runs in this test");
        }, ResultDelivery.none(), Clock.systemUTC(), io.tessera.routes.reports.StudyReports.none());
        camel = new DefaultCamelContext();
        camel.addRoutesConfigurations(new ErrorPolicy());
        camel.addRoutes(new TesseraRoutes(new CompletionPoller(index, Duration.ofMillis(100), Clock.systemUTC()), processor, 1, 50));
    }

    @AfterEach
    void stop() {
        camel.stop();
        index.close();
    }

    @Test
    void a_study_whose_instances_cannot_be_read_fails_with_a_reason_and_the_routes_go_on() throws Exception {
        Path broken = dir.resolve("incoming/1.2.3/1.2.3.4/1.2.3.4.5.dcm");
        Files.createDirectories(broken.getParent());
        Files.write(broken, new byte[] {1, 2, 3});
        index.recordInstance(new InstanceRecord("1.2.3.4.5", "1.2.3", "1.2.3.4", "1.2.840.10008.5.1.4.1.1.2", "CT", "SCU", broken, 3,
                Instant.now().minusSeconds(5)));
        NotifyBuilder processed = new NotifyBuilder(camel).fromRoute("process-study").whenDone(1).create();
        camel.start();
        assertTrue(processed.matches(20, TimeUnit.SECONDS), "study not processed");
        StudyRecord r = index.study("1.2.3").orElseThrow();
        assertEquals(JobState.FAILED, r.state());
        assertTrue(r.failureReason().orElse("").length() > 10, "reason: " + r.failureReason());
        assertTrue(r.stageMillis().containsKey("plan"), r.stageMillis().toString());
        assertTrue(camel.getRouteController().getRouteStatus("completion").isStarted());
    }

    @Test
    void a_study_no_rule_matches_is_done_without_jobs() throws Exception {
        Path ct = writeCt();
        index.recordInstance(new InstanceRecord("9.1", "9", "9.2", "1.2.840.10008.5.1.4.1.1.2", "CT", "SCU", ct, Files.size(ct),
                Instant.now().minusSeconds(5)));
        NotifyBuilder processed = new NotifyBuilder(camel).fromRoute("process-study").whenDone(1).create();
        camel.start();
        assertTrue(processed.matches(20, TimeUnit.SECONDS), "study not processed");
        StudyRecord r = index.study("9").orElseThrow();
        assertEquals(JobState.DONE, r.state());
        assertEquals("no routing rule matched", r.failureReason().orElse(""));
    }

    /** One small CT slice (the rules above only take MR). */
    private Path writeCt() throws Exception {
        Grid g = Grid.axial(8, 8, 1, new double[3], new double[] {1, 1, 1});
        StudyInfo study = new StudyInfo("9", "P", "Test^Routes", "", "", "", "20260101", "", "", "1");
        return new CtSeriesWriter().write(Volume.zeros(g), study, CtSeriesSpec.of("9.2", "9.3", "test"), dir.resolve("ct")).get(0);
    }
}
