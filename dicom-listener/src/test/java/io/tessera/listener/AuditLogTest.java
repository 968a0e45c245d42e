package io.tessera.listener;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AuditLogTest {
    @TempDir Path dir;

    @Test
    void appends_one_json_line_per_event_and_keeps_earlier_lines() throws Exception {
        Path file = dir.resolve("audit").resolve("audit.log");
        Instant t0 = Instant.parse("2025-01-02T03:04:05Z");
        try (AuditLog log = AuditLog.open(file)) {
            log.association(new AuditLog.Association(t0, t0.plusMillis(1500), "CT\"1", "TESSERA", "10.0.0.5:40000",
                    true, "CN=ct1", true, null, 3, 1, 4096));
        }
        try (AuditLog log = AuditLog.open(file)) {
            log.export(new AuditLog.Export("pacs", "ORTHANC@127.0.0.1:4242", "1.2.3", 2, 100, false,
                    "status 0xa700", Duration.ofMillis(20)));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertEquals("{\"time\":\"2025-01-02T03:04:06.500Z\",\"event\":\"association\",\"callingAe\":\"CT\\\"1\","
                + "\"calledAe\":\"TESSERA\",\"remote\":\"10.0.0.5:40000\",\"tls\":true,\"tlsPeer\":\"CN=ct1\","
                + "\"outcome\":\"accepted\",\"instances\":3,\"failures\":1,\"bytes\":4096,\"durationMs\":1500}", lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"time\":\""), lines.get(1));
        assertTrue(lines.get(1).endsWith("\"event\":\"export\",\"destination\":\"pacs\",\"target\":\"ORTHANC@127.0.0.1:4242\","
                + "\"studyUid\":\"1.2.3\",\"outcome\":\"failure\",\"reason\":\"status 0xa700\",\"instances\":2,\"bytes\":100,"
                + "\"durationMs\":20}"), lines.get(1));
    }
}
