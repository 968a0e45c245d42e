package io.tessera.listener;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.PresentationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Allow-list by host, association and study-size limits, and the audit log, against dcmtk echoscu/storescu. */
class AdmissionIT {
    private static final String AE = "TESSERA";

    @TempDir Path spool;
    @TempDir Path fixtures;
    private StudyIndex index;
    private DicomListener listener;

    private void start(ListenerSettings settings) {
        index = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool);
        listener = new DicomListener(settings, index);
        listener.start();
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.stop(Duration.ofMillis(300));
        }
        if (index != null) {
            index.close();
        }
    }

    private Tool echo(String callingAe) throws Exception {
        return Tool.run("echoscu", "-aet", callingAe, "-aec", AE, "127.0.0.1", Integer.toString(listener.port()));
    }

    private Tool store(String callingAe, List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "-nh", "-aet", callingAe, "-aec", AE,
                "127.0.0.1", Integer.toString(listener.port())));
        files.forEach(f -> cmd.add(f.toString()));
        return Tool.run(cmd);
    }

    private long spooledCount() throws Exception {
        Path incoming = spool.resolve("incoming");
        try (Stream<Path> s = Files.walk(incoming)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).count();
        }
    }

    private List<String> auditLines() throws Exception {
        return Files.readAllLines(spool.resolve("audit").resolve("audit.log"));
    }

    /** The file less its preamble and File Meta Information (whose group length sits at offset 140). */
    private static long dataSetLength(Path file) throws Exception {
        java.nio.ByteBuffer head = java.nio.ByteBuffer.wrap(Files.readAllBytes(file), 140, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return Files.size(file) - 144 - head.getInt();
    }

    @Test
    void a_calling_ae_bound_to_another_host_is_rejected_as_not_recognised_and_counted() throws Exception {
        start(ListenerSettings.loopback(AE, spool).withAllowedCallingAeTitles(Set.of("LOCALCT@127.0.0.1", "PACS@192.0.2.7")));

        Tool refused = echo("PACS");
        assertNotEquals(0, refused.exit());
        assertTrue(refused.output().contains("Calling AE Title Not Recognized"), refused.output());
        echo("LOCALCT").ok();

        ListenerCounters c = listener.counters();
        assertEquals(1, c.refusedCallingAe());
        assertEquals(1, c.associationsRefused());
        assertEquals(1, c.associationsAccepted());
        listener.awaitIdle(Duration.ofSeconds(5));
        List<String> audit = auditLines();
        assertEquals(2, audit.size(), audit.toString());
        assertTrue(audit.get(0).contains("\"callingAe\":\"PACS\"") && audit.get(0).contains("\"outcome\":\"refused\"")
                && audit.get(0).contains("\"reason\":\"calling-ae-not-allowed-from-host\""), audit.get(0));
        assertTrue(audit.get(1).contains("\"callingAe\":\"LOCALCT\"") && audit.get(1).contains("\"outcome\":\"accepted\""),
                audit.get(1));
    }

    @Test
    void an_association_beyond_the_limit_is_rejected_transiently_and_the_slot_is_freed_after_release() throws Exception {
        start(ListenerSettings.loopback(AE, spool).withLimits(1, 0));
        LinkedList<PresentationContext> contexts = new LinkedList<>();
        contexts.add(new PresentationContext((byte) 1, SOPClass.Verification, TransferSyntax.ImplicitVRLittleEndian));
        Association held = AssociationFactory.createNewAssociation("127.0.0.1", listener.port(), AE, "HOLDER",
                contexts, null, false);
        try {
            Tool refused = echo("SECOND");
            assertNotEquals(0, refused.exit());
            assertTrue(refused.output().contains("Rejected Transient") && refused.output().contains("Local Limit Exceeded"),
                    refused.output());
            assertEquals(1, listener.counters().refusedAssociationLimit());
            assertEquals(1, listener.counters().activeAssociations());
        } finally {
            held.release();
        }
        listener.awaitIdle(Duration.ofSeconds(5));
        echo("SECOND").ok();
        assertEquals(2, listener.counters().associationsAccepted());
    }

    @Test
    void the_instance_that_would_exceed_max_study_bytes_gets_out_of_resources_and_earlier_ones_are_kept() throws Exception {
        List<Path> files = TinyCt.write(fixtures, 5);
        long dataSet = dataSetLength(files.get(0));
        // three and a half data sets: the fourth instance is the one that would exceed the limit
        start(ListenerSettings.loopback(AE, spool).withLimits(8, 3 * dataSet + dataSet / 2));

        Tool sent = store("MODALITY", files);
        assertTrue(sent.output().toLowerCase().replace(" ", "").contains("outofresources"), sent.output());

        assertEquals(3, spooledCount());
        assertEquals(3, index.instances(TinyCt.STUDY).size());
        ListenerCounters c = listener.counters();
        assertEquals(3, c.instancesStored());
        assertEquals(2, c.studyLimitRejections());
        assertEquals(2, c.storeFailures());
        listener.awaitIdle(Duration.ofSeconds(5));
        String line = auditLines().get(0);
        assertTrue(line.contains("\"instances\":3,\"failures\":2"), line);
    }

    @Test
    void an_instance_larger_than_max_instance_bytes_is_drained_answered_out_of_resources_and_the_association_goes_on()
            throws Exception {
        List<Path> files = TinyCt.write(fixtures, 2);
        long dataSet = dataSetLength(files.get(0));
        start(ListenerSettings.loopback(AE, spool).withMaxInstanceBytes(dataSet - 1));

        Tool sent = store("MODALITY", files);
        assertTrue(sent.output().toLowerCase().replace(" ", "").contains("outofresources"), sent.output());
        assertEquals(0, spooledCount());
        ListenerCounters c = listener.counters();
        assertEquals(2, c.oversizedInstances());
        assertEquals(0, c.abortedAssociations(), "the sender gets a status, not an abort");
        assertEquals(0, echo("MODALITY").exit());

        listener.stop(Duration.ofMillis(300));
        index.close();
        start(ListenerSettings.loopback(AE, spool).withMaxInstanceBytes(dataSet));
        assertEquals(0, store("MODALITY", files).exit());
        assertEquals(2, spooledCount());
    }

    @Test
    void the_audit_line_records_who_from_where_what_and_how_long_without_patient_data() throws Exception {
        start(ListenerSettings.loopback(AE, spool).withAuditFile(spool.resolve("elsewhere.log")));
        List<Path> files = TinyCt.write(fixtures, 4);
        store("MODALITY", files).ok();
        assertTrue(listener.awaitIdle(Duration.ofSeconds(5)));

        List<String> lines = Files.readAllLines(spool.resolve("elsewhere.log"));
        assertEquals(1, lines.size(), lines.toString());
        String line = lines.get(0);
        for (String expected : List.of("\"event\":\"association\"", "\"callingAe\":\"MODALITY\"", "\"calledAe\":\"TESSERA\"",
                "\"remote\":\"127.0.0.1:", "\"tls\":false", "\"outcome\":\"accepted\"", "\"instances\":4", "\"failures\":0")) {
            assertTrue(line.contains(expected), expected + " in " + line);
        }
        long bytes = Long.parseLong(line.replaceAll(".*\"bytes\":(\\d+).*", "$1"));
        assertTrue(bytes > 4 * 512 && bytes < 4 * Files.size(files.get(0)), line);
        assertTrue(line.matches(".*\"durationMs\":\\d+}$"), line);
        assertFalse(line.contains("TEST-0001"), "no patient ID in the audit log: " + line);
    }
}
