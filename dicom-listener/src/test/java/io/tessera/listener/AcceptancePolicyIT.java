package io.tessera.listener;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The allow-list's networks and the configured SOP classes and transfer syntaxes, against the real dcmtk tools
 * (storescu, echoscu) on 127.0.0.1: what they print is what a PACS administrator would see.
 */
class AcceptancePolicyIT {
    private static final String AE = "TESSERA";
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";

    @TempDir Path spool;
    @TempDir Path fixtures;
    private StudyIndex index;
    private DicomListener listener;

    private void start(ListenerSettings settings) {
        index = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool);
        listener = new DicomListener(settings, index);
        listener.start();
    }

    private ListenerSettings loopback() {
        return ListenerSettings.loopback(AE, spool);
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.stop(java.time.Duration.ofMillis(300));
        }
        if (index != null) {
            index.close();
        }
    }

    private Tool store(String callingAe, List<String> options, List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-d", "-aet", callingAe, "-aec", AE));
        cmd.addAll(options);
        cmd.addAll(List.of("127.0.0.1", Integer.toString(listener.port())));
        files.forEach(f -> cmd.add(f.toString()));
        return Tool.run(cmd);
    }

    /**
     * The spooled SOP instances once they are {@code expected} or 10 s have passed: an instance is acknowledged once its
     * write-ahead log record is forced, and written to the spool folder just after, so a busy machine may lag behind.
     */
    private List<String> spooledSops(List<String> expected) throws Exception {
        long end = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        List<String> now = spooledSops();
        while (!now.equals(expected) && System.nanoTime() < end) {
            Thread.sleep(50);
            now = spooledSops();
        }
        return now;
    }

    private List<String> spooledSops() throws Exception {
        Path incoming = spool.resolve("incoming");
        if (!Files.exists(incoming)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(incoming)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).map(p -> p.getFileName().toString().replace(".dcm", ""))
                    .sorted().toList();
        }
    }

    /** The transfer syntax the one stored instance was received in, from its file meta information. */
    private String transferSyntaxOnDisk() throws Exception {
        AttributeList read = new AttributeList();
        read.read(index.instances(TinyCt.STUDY).get(0).path().toFile());
        return read.get(TagFromName.TransferSyntaxUID).getSingleStringValueOrEmptyString();
    }

    /** The TinyCt slice rewritten as an MR Image Storage instance with its own SOP Instance UID. */
    private Path asMr(Path ct) throws Exception {
        AttributeList list = new AttributeList();
        list.read(ct.toFile());
        set(list, TagFromName.SOPClassUID, SOPClass.MRImageStorage);
        set(list, TagFromName.MediaStorageSOPClassUID, SOPClass.MRImageStorage);
        set(list, TagFromName.SOPInstanceUID, TinyCt.SERIES + ".900");
        set(list, TagFromName.MediaStorageSOPInstanceUID, TinyCt.SERIES + ".900");
        set(list, TagFromName.Modality, "MR");
        Path mr = fixtures.resolve("mr.dcm");
        list.write(mr.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return mr;
    }

    private static void set(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String value) throws Exception {
        Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    @Test
    void a_title_bound_to_a_network_is_accepted_from_inside_it_and_refused_from_outside() throws Exception {
        start(loopback().withAllowedCallingAeTitles(Set.of("MODALITY@127.0.0.0/8")));
        List<Path> files = TinyCt.write(fixtures, 1);
        store("MODALITY", List.of(), files).ok();
        assertEquals(List.of(TinyCt.sop(0)), spooledSops(List.of(TinyCt.sop(0))));
        assertEquals(0, listener.counters().associationsRefused());
        listener.stop(java.time.Duration.ofMillis(300));
        index.close();

        start(loopback().withAllowedCallingAeTitles(Set.of("MODALITY@10.0.0.0/8", "OTHER@fd00::/64")));
        Tool refused = store("MODALITY", List.of(), files);
        assertNotEquals(0, refused.exit(), refused.output());
        assertTrue(refused.output().contains("Association Rejected"), refused.output());
        assertTrue(refused.output().contains("Rejected Permanent"), refused.output());
        assertTrue(refused.output().contains("Service User"), refused.output());
        assertTrue(refused.output().contains("Calling AE Title Not Recognized"), refused.output());
        assertEquals(1, listener.counters().associationsRefused());
        assertEquals(1, listener.counters().refusedCallingAe());
        assertEquals(0, listener.counters().associationsAccepted());
        assertEquals(0, listener.counters().instancesStored(), "nothing stored by the refused sender");
    }

    @Test
    void a_sop_class_not_accepted_gets_its_context_rejected_while_an_accepted_one_is_stored() throws Exception {
        start(loopback().withAccepted(new AcceptedContexts(false, Set.of(SOPClass.CTImageStorage), List.of(EXPLICIT_LE))));
        Path ct = TinyCt.write(fixtures, 1).get(0);
        Path mr = asMr(ct);
        Tool sent = store("MODALITY", List.of(), List.of(ct, mr));
        assertTrue(sent.output().contains("Abstract Syntax Not Supported"), sent.output());
        assertTrue(sent.output().contains("No presentation context for: (MR)"), sent.output());
        assertEquals(List.of(TinyCt.sop(0)), spooledSops(List.of(TinyCt.sop(0))), "the CT is stored, the MR is not");
        assertEquals(1, listener.counters().instancesStored());
        assertEquals(1, listener.counters().associationsAccepted(), "the association itself succeeds");
        assertTrue(listener.counters().rejectedPresentationContexts() > 0);

        Tool echo = Tool.run("echoscu", "-d", "-aet", "MODALITY", "-aec", AE, "127.0.0.1", Integer.toString(listener.port()));
        assertNotEquals(0, echo.exit(), "Verification is not in the list: " + echo.output());
        assertTrue(echo.output().contains("Abstract Syntax Not Supported"), echo.output());
        assertEquals(0, listener.counters().echoes());
    }

    @Test
    void a_transfer_syntax_not_accepted_gets_its_context_rejected_and_an_accepted_one_is_chosen() throws Exception {
        start(loopback().withAccepted(new AcceptedContexts(true, Set.of(), List.of(EXPLICIT_LE))));
        List<Path> files = TinyCt.write(fixtures, 2);
        Tool implicitOnly = store("MODALITY", List.of("-xi"), List.of(files.get(0)));
        assertNotEquals(0, implicitOnly.exit(), implicitOnly.output());
        assertTrue(java.util.regex.Pattern.compile("\\(Transfer Syntaxes Not Supported\\)\\s+D:\\s+Abstract Syntax: =CTImageStorage")
                .matcher(implicitOnly.output()).find(), implicitOnly.output());
        // every context refused: storescu gives up on the association it was granted
        assertTrue(implicitOnly.output().contains("No Acceptable Presentation Contexts"), implicitOnly.output());
        assertEquals(1, listener.counters().associationsAccepted());
        assertEquals(List.of(), spooledSops());

        store("MODALITY", List.of("-xe"), List.of(files.get(1))).ok();
        assertEquals(List.of(TinyCt.sop(1)), spooledSops(List.of(TinyCt.sop(1))));
        assertEquals(EXPLICIT_LE, transferSyntaxOnDisk());
    }

    @Test
    void implicit_little_endian_is_still_taken_by_default() throws Exception {
        start(loopback());
        List<Path> files = TinyCt.write(fixtures, 1);
        store("MODALITY", List.of("-xi"), files).ok();
        assertEquals(List.of(TinyCt.sop(0)), spooledSops(List.of(TinyCt.sop(0))));
        assertEquals(IMPLICIT_LE, transferSyntaxOnDisk());
    }
}
