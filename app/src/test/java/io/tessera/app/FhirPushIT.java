package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tessera.config.DestinationConfig;
import io.tessera.config.FhirAuthConfig;
import io.tessera.core.JobState;
import io.tessera.listener.StudyRecord;
import io.tessera.routes.Deliverer;
import io.tessera.routes.OutboxEntry;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.FreePorts;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FHIR push through the persisted outbox to a real HTTP FHIR server on loopback (HAPI RestfulServer on Jetty with
 * conditional create): a redelivery creates nothing new, an outage and 503s are retried and delivered once, a 400 is
 * parked with the server's OperationOutcome text and delivered once after a replay.
 */
class FhirPushIT {
    @TempDir Path work;
    TesseraServer tessera;
    ConditionalCreateFhirServer ehr;

    @AfterEach
    void stop() throws Exception {
        if (tessera != null) tessera.close();
        if (ehr != null) ehr.close();
    }

    @Test
    void the_result_set_is_pushed_with_conditional_creates_and_a_redelivery_creates_nothing_new() throws Exception {
        ehr = new ConditionalCreateFhirServer(FreePorts.next());
        ehr.start();
        String uid = sendStudy(4601);
        StudyRecord done = tessera.awaitFinal(uid, Duration.ofMinutes(2));
        assertEquals(JobState.DONE, done.state(), () -> "reason: " + done.failureReason().orElse(""));
        assertOneResultSet();
        assertEquals("Bearer t0ken", ehr.lastAuthorization, "bearer auth is sent");

        // a redelivery (what a crash between the push and the outbox update causes): the same Bundle again
        OutboxEntry entry = tessera.outbox().store().forStudy(uid, 1).get(0);
        DestinationConfig dest = new DestinationConfig("ehr", "fhir", null, null, 0, null, ehr.baseUrl(), null,
                Duration.ofSeconds(5), new FhirAuthConfig("bearer", "t0ken", null, null), false);
        new Deliverer("TESSERA").deliver(dest, uid, entry.sopInstanceUid(), Path.of(entry.filePath()));
        assertEquals(2, ehr.transactions.get());
        assertOneResultSet();
    }

    @Test
    void an_outage_and_503s_are_retried_and_the_results_delivered_once() throws Exception {
        ehr = new ConditionalCreateFhirServer(FreePorts.next());
        String uid = sendStudy(4602);
        OutboxEntry down = awaitEntry(uid, e -> e.attempts() >= 2);
        assertEquals(OutboxEntry.State.PENDING, down.state());
        assertTrue(down.lastError().contains("TSR-0620") && down.lastError().contains("[retryable]"), down.lastError());

        ehr.failWith(503);
        ehr.start();
        OutboxEntry busy = awaitEntry(uid, e -> e.lastError() != null && e.lastError().contains("HTTP 503"));
        assertEquals(OutboxEntry.State.PENDING, busy.state());
        assertTrue(busy.lastError().contains("server busy, try later"), busy.lastError());

        ehr.failWith(0);
        StudyRecord done = tessera.awaitFinal(uid, Duration.ofMinutes(2));
        assertEquals(JobState.DONE, done.state(), () -> "reason: " + done.failureReason().orElse(""));
        assertOneResultSet();
    }

    @Test
    void a_400_is_parked_with_the_operation_outcome_and_a_replay_after_the_fix_delivers_once() throws Exception {
        ehr = new ConditionalCreateFhirServer(FreePorts.next());
        ehr.failWith(400);
        ehr.start();
        String uid = sendStudy(4603);
        StudyRecord parked = tessera.awaitFinal(uid, Duration.ofMinutes(2));
        assertEquals(JobState.PARKED, parked.state());
        OutboxEntry e = tessera.outbox().store().forStudy(uid, 1).get(0);
        assertEquals(1, e.attempts(), "a 4xx is not retried");
        assertTrue(e.lastError().contains("HTTP 400") && e.lastError().contains("Observation.code: minimum required = 1"),
                e.lastError());

        ehr.failWith(0);
        assertTrue(tessera.outbox().replay(e.id()));
        StudyRecord done = tessera.awaitFinal(uid, Duration.ofMinutes(2));
        assertEquals(JobState.DONE, done.state(), () -> "reason: " + done.failureReason().orElse(""));
        assertOneResultSet();
    }

    private void assertOneResultSet() {
        assertEquals(1, ehr.all("Patient").size(), "one Patient");
        assertEquals(1, ehr.all("ImagingStudy").size(), "one ImagingStudy");
        assertEquals(1, ehr.all("Device").size(), "one Device");
        List<Resource> reports = ehr.all("DiagnosticReport");
        assertEquals(1, reports.size(), "one DiagnosticReport");
        DiagnosticReport report = (DiagnosticReport) reports.get(0);
        List<Resource> observations = ehr.all("Observation");
        assertTrue(!observations.isEmpty(), "Observations pushed");
        assertEquals(report.getResult().size(), observations.size(), "one Observation per result, none twice");
        String patient = ehr.all("Patient").get(0).getIdElement().getValue();
        assertEquals(patient, report.getSubject().getReference(), "references point at the server's own ids");
        for (Reference r : report.getResult()) {
            assertTrue(observations.stream().anyMatch(o -> o.getIdElement().getValue().equals(r.getReference())), r.getReference());
        }
        for (Resource o : observations) assertEquals(patient, ((Observation) o).getSubject().getReference());
    }

    private OutboxEntry awaitEntry(String uid, Predicate<OutboxEntry> until) {
        AtomicReference<OutboxEntry> last = new AtomicReference<>();
        try {
            return Awaits.within(Duration.ofMinutes(2)).until(() -> {
                List<OutboxEntry> entries = tessera.outbox().store().forStudy(uid, 1);
                if (!entries.isEmpty()) last.set(entries.get(0));
                return entries.isEmpty() ? null : entries.get(0);
            }, e -> e != null && until.test(e));
        } catch (ConditionTimeoutException e) {
            return fail("outbox entry never matched; last: " + last.get());
        }
    }

    private String sendStudy(long seed) throws Exception {
        ServerConfig config = ServerConfig.in(work).quietPeriod("500ms")
                .section("delivery: { initialBackoff: 100ms, maxBackoff: 500ms, maxAttempts: 1000 }")
                .destination("name: ehr, type: fhir, url: '" + ehr.baseUrl() + "', timeout: 5s, auth: { type: bearer, token: t0ken }")
                .ctRoute(ServerConfig.CT_ORGANS, "ehr");
        tessera = config.start();
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(seed).withLesionCount(1), work.resolve("study"));
        ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "STORESCU", "TESSERA", study.files());
        assertEquals(0, sent.exitCode(), sent.output());
        return study.study().studyInstanceUid();
    }
}
