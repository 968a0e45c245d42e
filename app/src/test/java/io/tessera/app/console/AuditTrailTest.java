package io.tessera.app.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.listener.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit page's reading of the log the server writes: newest first, filtered, and bounded to the file's tail. */
class AuditTrailTest {
    @TempDir Path dir;

    @Test
    void reads_what_the_audit_log_wrote_newest_first_with_filters() throws Exception {
        Path file = dir.resolve("audit.log");
        try (AuditLog log = AuditLog.open(file)) {
            log.export(new AuditLog.Export("pacs", "ORTHANC@127.0.0.1:4242", "1.2.3", 2, 1000, true, null, Duration.ofMillis(5)));
            log.access(new AuditLog.Access(Instant.parse("2026-12-07T10:00:00Z"), "R", "search-type", "GET", "/fhir/Patient",
                    "identifier=PID-4711", 200, "ehr-client", "svc-1", "bearer", "10.0.0.9"));
            log.access(new AuditLog.Access(Instant.parse("2026-12-07T10:01:00Z"), "R", "read", "GET", "/api/studies", null,
                    403, "ward-app", null, "bearer", "10.0.0.7"));
        }
        AuditTrail trail = new AuditTrail(file);
        List<AuditTrail.Entry> all = trail.newest(10, null, null, null);
        assertEquals(3, all.size());
        assertEquals("rest", all.get(0).event());
        assertEquals("refused", all.get(0).outcome(), "403 is a refusal");
        assertTrue(all.get(0).who().contains("ward-app") && all.get(0).who().contains("10.0.0.7"), all.get(0).who());
        assertEquals("export", all.get(2).event());
        assertEquals("success", all.get(2).outcome());

        List<AuditTrail.Entry> whoLookedUp = trail.newest(10, "rest", null, "PID-4711");
        assertEquals(1, whoLookedUp.size(), "a security officer finds who searched for a patient");
        assertTrue(whoLookedUp.get(0).who().startsWith("ehr-client / svc-1"), whoLookedUp.get(0).who());
        assertEquals(List.of(), trail.newest(10, "association", null, null));
        assertEquals(1, trail.newest(1, null, null, null).size(), "the limit");
    }

    @Test
    void only_the_tail_of_a_large_log_is_read_and_the_cut_line_skipped() throws Exception {
        Path file = dir.resolve("audit.log");
        String line = "{\"time\":\"2026-12-07T10:00:00Z\",\"event\":\"export\",\"destination\":\"pacs\",\"studyUid\":\"1.2\","
                + "\"outcome\":\"success\",\"instances\":1}\n";
        int n = AuditTrail.TAIL_BYTES / line.length() + 1000;
        Files.writeString(file, line.repeat(n) + "not json\n");
        List<AuditTrail.Entry> e = new AuditTrail(file).newest(Integer.MAX_VALUE, null, null, null);
        assertTrue(e.size() < n && e.size() >= AuditTrail.TAIL_BYTES / line.length() - 1, e.size() + " of " + n);
        assertTrue(e.stream().allMatch(x -> x.event().equals("export")), "the cut first line and the non-JSON line skipped");
        assertEquals(List.of(), new AuditTrail(dir.resolve("missing.log")).newest(10, null, null, null));
    }
}
