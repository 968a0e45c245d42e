package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.config.DestinationConfig;
import io.tessera.listener.AuditLog;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelivererAuditTest {
    private static final String STUDY = "1.2.826.0.1.3680043.10.1.7";
    private static final String SOP = "1.2.826.0.1.3680043.10.1.7.9";
    @TempDir Path dir;

    private List<String> deliverAndReadAudit(DestinationConfig dest, boolean expectFailure) throws Exception {
        Path file = Files.write(dir.resolve("seg.dcm"), new byte[1234]);
        Path auditFile = dir.resolve("audit/audit.jsonl");
        try (AuditLog log = AuditLog.open(auditFile)) {
            Deliverer deliverer = new Deliverer("TESSERA", ExportAudit.to(() -> log));
            if (expectFailure) {
                assertThrows(Deliverer.DeliveryException.class, () -> deliverer.deliver(dest, STUDY, SOP, file));
            } else {
                deliverer.deliver(dest, STUDY, SOP, file);
            }
        }
        return Files.readAllLines(auditFile);
    }

    @Test
    void a_folder_delivery_writes_one_export_line_with_target_uids_outcome_bytes_and_duration() throws Exception {
        Path results = dir.resolve("results");
        DestinationConfig dest = new DestinationConfig("archive", "folder", null, null, 0, results.toString(), null, null);

        List<String> lines = deliverAndReadAudit(dest, false);

        assertTrue(Files.exists(results.resolve(STUDY).resolve(SOP + ".dcm")));
        assertEquals(1, lines.size(), lines::toString);
        String line = lines.get(0);
        for (String expected : List.of("\"event\":\"export\"", "\"destination\":\"archive\"",
                "\"target\":\"folder:" + results + "/" + SOP + "\"", "\"studyUid\":\"" + STUDY + "\"",
                "\"outcome\":\"success\"", "\"instances\":1", "\"bytes\":1234", "\"durationMs\":")) {
            assertTrue(line.contains(expected), () -> "missing " + expected + " in " + line);
        }
        assertFalse(line.contains("\"reason\""), line);
    }

    @Test
    void a_failed_dicom_delivery_writes_a_failure_line_with_the_reason() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        DestinationConfig dest = new DestinationConfig("pacs", "dicom", "PACS", "127.0.0.1", closed, null, null, null);

        List<String> lines = deliverAndReadAudit(dest, true);

        assertEquals(1, lines.size(), lines::toString);
        String line = lines.get(0);
        assertTrue(line.contains("\"target\":\"dicom:PACS@127.0.0.1:" + closed + "/" + SOP + "\""), line);
        assertTrue(line.contains("\"outcome\":\"failure\"") && line.contains("\"reason\":\"TSR-070"), line);
    }
}
