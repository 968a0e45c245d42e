package io.tessera.listener;

import io.tessera.testkit.RawAssociation;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Bad input never stops the listener: each kind of broken sender gets the right DIMSE status or a clean abort, a log
 * line with a stable code, a counter, no junk in the spool, and afterwards the listener still answers C-ECHO and stores
 * a good instance. Broken senders are a hand-written raw-PDU client ({@link RawAssociation}); dcmtk where it can play one.
 */
class BadInputIT {
    private static final String AE = "TESSERA";
    private static final String EXPLICIT_LE = TransferSyntax.ExplicitVRLittleEndian;
    private static final int CANNOT_UNDERSTAND = 0xC000;

    @TempDir Path spool;
    @TempDir Path fixtures;
    private StudyIndex index;
    private DicomListener listener;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger listenerLog = (Logger) LoggerFactory.getLogger("io.tessera.listener");

    @BeforeEach
    void start() {
        logs.start();
        listenerLog.addAppender(logs);
        index = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool);
        listener = new DicomListener(ListenerSettings.loopback(AE, spool), index);
        listener.start();
    }

    @AfterEach
    void stop() {
        listenerLog.detachAppender(logs);
        listener.stop(Duration.ofMillis(300));
        index.close();
    }

    // ---- the cases -------------------------------------------------------------------------------------------

    @Test
    void a_data_set_cut_short_inside_its_pixels_gets_cannot_understand_and_is_not_filed() throws Exception {
        byte[] whole = dataSetOf(TinyCt.write(fixtures, 1).get(0));
        byte[] cut = Arrays.copyOf(whole, whole.length - 100);

        assertEquals(CANNOT_UNDERSTAND, storeRaw(SOPClass.CTImageStorage, TinyCt.sop(0), cut));

        assertLogged("TSR-0209");
        assertEquals(1, listener.counters().malformedInstances());
        assertStillServing();
    }

    @Test
    void a_data_set_cut_short_inside_an_element_header_gets_cannot_understand() throws Exception {
        byte[] whole = dataSetOf(TinyCt.write(fixtures, 1).get(0));
        byte[] cut = Arrays.copyOf(whole, 21);

        assertEquals(CANNOT_UNDERSTAND, storeRaw(SOPClass.CTImageStorage, TinyCt.sop(0), cut));

        assertLogged("TSR-0209");
        assertEquals(1, listener.counters().malformedInstances());
        assertStillServing();
    }

    @Test
    void garbage_instead_of_a_data_set_gets_cannot_understand_without_allocating_its_lengths() throws Exception {
        byte[] garbage = new byte[4000];
        new Random(7).nextBytes(garbage);
        // a plausible first element whose 4-byte length claims 2 GiB
        byte[] claim = {0x08, 0x00, 0x16, 0x00, 'O', 'B', 0, 0, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F};
        System.arraycopy(claim, 0, garbage, 0, claim.length);

        assertEquals(CANNOT_UNDERSTAND, storeRaw(SOPClass.CTImageStorage, "1.2.3.4.5", garbage));
        new Random(8).nextBytes(garbage);
        assertEquals(CANNOT_UNDERSTAND, storeRaw(SOPClass.CTImageStorage, "1.2.3.4.6", garbage));

        assertLogged("TSR-0209");
        assertEquals(2, listener.counters().malformedInstances());
        assertEquals(0, listener.counters().instancesStored());
        assertStillServing();
    }

    @Test
    void missing_or_invalid_sop_instance_uids_get_cannot_understand_and_never_become_file_names() throws Exception {
        byte[] good = dataSetOf(TinyCt.write(fixtures, 1).get(0));
        String tooLong = "1." + "2".repeat(63);
        for (String uid : List.of("", "abc.def", "../../escape", tooLong)) {
            assertEquals(CANNOT_UNDERSTAND, storeRaw(SOPClass.CTImageStorage, uid, good), "Affected SOP Instance UID '" + uid + "'");
        }
        AttributeList list = readList(fixtures.resolve("ct0.dcm"));
        list.replaceWithValueIfPresent(TagFromName.StudyInstanceUID, "../../etc");
        assertEquals(CANNOT_UNDERSTAND, storeRaw(SOPClass.CTImageStorage, TinyCt.sop(0), dataSetOf(list)));

        assertLogged("TSR-0262");
        assertEquals(5, listener.counters().invalidUids());
        assertFalse(Files.exists(spool.resolve("etc")));
        assertStillServing();
    }

    @Test
    void a_sop_class_not_accepted_is_refused_at_negotiation_so_dcmtk_cannot_send_it() throws Exception {
        AttributeList list = readList(TinyCt.write(fixtures, 1).get(0));
        // retired Hardcopy Grayscale Image Storage: dcmtk still offers it, our storage policy does not accept it
        list.replaceWithValueIfPresent(TagFromName.SOPClassUID, "1.2.840.10008.5.1.1.29");
        list.removeMetaInformationHeaderAttributes();
        com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(list, EXPLICIT_LE, "TEST");
        Path odd = fixtures.resolve("odd.dcm");
        list.write(odd.toFile(), EXPLICIT_LE, true, true);

        Tool sent = Tool.run("storescu", "-R", "-aet", "ODD", "-aec", AE, "127.0.0.1", port(), odd.toString());
        assertNotEquals(0, sent.exit(), sent.output());
        assertTrue(sent.output().contains("No Acceptable Presentation Contexts")
                || sent.output().contains("No presentation context"), sent.output());

        // the administrator reads which class was refused and why, and that nothing at all could be stored
        assertLogged("TSR-0288: no presentation context accepted");
        assertLogged("1.2.840.10008.5.1.1.29 (abstract-syntax-not-supported)");
        assertTrue(listener.counters().rejectedPresentationContexts() >= 1, "storescu offers one context per transfer syntax group");
        assertEquals(0, listener.counters().instancesStored());
        assertStillServing();
    }

    @Test
    void a_request_on_a_refused_presentation_context_is_aborted() throws Exception {
        try (RawAssociation a = RawAssociation.connect(listener.port())) {
            RawAssociation.Pdu ac = a.associate(AE, "RAW", "1.2.840.10008.5.1.4.31", EXPLICIT_LE);
            assertEquals(RawAssociation.A_ASSOCIATE_AC, ac.type());
            assertNotEquals(0, RawAssociation.contextResult(ac), "context must be refused");
            // the command alone: the listener aborts on it, so a data PDV written after it could meet a reset socket
            a.sendPdv(true, true, RawAssociation.storeCommand("1.2.840.10008.5.1.4.31", "1.2.3.4"));
            assertEquals(RawAssociation.A_ABORT, a.readPdu().type());
        }
        assertLogged("TSR-0219");
        assertStillServing();
        assertEquals(1, listener.counters().abortedAssociations());
    }

    @Test
    void a_p_data_longer_than_our_maximum_pdu_is_answered_with_a_prompt_abort() throws Exception {
        long started = System.nanoTime();
        try (RawAssociation a = RawAssociation.connect(listener.port())) {
            assertEquals(0, RawAssociation.contextResult(a.associate(AE, "RAW", SOPClass.CTImageStorage, EXPLICIT_LE)));
            a.sendPdv(true, true, RawAssociation.storeCommand(SOPClass.CTImageStorage, "1.2.3.4"));
            // announces ListenerSettings.DEFAULT_MAX_PDU_LENGTH + 1 bytes (and then 2 GiB): sends only a few
            ByteBuffer head = ByteBuffer.allocate(6).put((byte) 0x04).put((byte) 0).putInt(ListenerSettings.DEFAULT_MAX_PDU_LENGTH + 1);
            a.sendRaw(head.array());
            RawAssociation.Pdu answer = a.readPdu();
            assertEquals(RawAssociation.A_ABORT, answer.type());
            assertEquals(2, answer.body()[2], "source: service provider");
            assertEquals(6, answer.body()[3], "reason: invalid PDU parameter value");
            assertTrue(a.closedByPeer());
        }
        try (RawAssociation a = RawAssociation.connect(listener.port())) {
            assertEquals(0, RawAssociation.contextResult(a.associate(AE, "RAW", SOPClass.CTImageStorage, EXPLICIT_LE)));
            a.sendRaw(new byte[] {0x04, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0});
            assertEquals(RawAssociation.A_ABORT, a.readPdu().type());
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 3000, "aborted promptly, not hung");
        assertLogged("TSR-0218");
        assertStillServing();
        assertEquals(2, listener.counters().oversizedPdus());
        assertEquals(2, listener.counters().abortedAssociations());
    }

    @Test
    void random_bytes_on_the_port_are_dropped_and_counted() throws Exception {
        byte[] noise = new byte[2048];
        new Random(42).nextBytes(noise);
        noise[0] = 0x16; // like a TLS ClientHello on the plain port
        try (Socket s = new Socket("127.0.0.1", listener.port())) {
            s.getOutputStream().write(noise);
            s.setSoTimeout(5000);
            try {
                assertEquals(-1, s.getInputStream().read(), "the listener closes the connection");
            } catch (java.net.SocketException reset) {
                // closed with our unread bytes pending: a reset is a close too
            }
        }
        assertLogged("TSR-0214");
        assertStillServing();
        assertEquals(1, listener.counters().nonDicomConnections());
    }

    @Test
    void a_peer_that_vanishes_in_the_middle_of_a_p_data_leaves_nothing_behind() throws Exception {
        byte[] data = dataSetOf(TinyCt.write(fixtures, 1).get(0));
        try (RawAssociation a = RawAssociation.connect(listener.port())) {
            assertEquals(0, RawAssociation.contextResult(a.associate(AE, "RAW", SOPClass.CTImageStorage, EXPLICIT_LE)));
            a.sendPdv(true, true, RawAssociation.storeCommand(SOPClass.CTImageStorage, TinyCt.sop(0)));
            // a P-DATA announcing the whole data set, and only half of it
            ByteBuffer pdu = ByteBuffer.allocate(6 + 6 + data.length / 2);
            pdu.put((byte) 0x04).put((byte) 0).putInt(6 + data.length).putInt(2 + data.length).put(RawAssociation.PC)
                    .put((byte) 2).put(data, 0, data.length / 2);
            a.sendRaw(pdu.array());
        }
        assertTrue(listener.awaitIdle(Duration.ofSeconds(5)));
        assertLogged("TSR-0270");
        assertEquals(1, listener.counters().abortedAssociations());
        assertEquals(0, listener.counters().instancesStored());
        assertStillServing();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private String port() {
        return Integer.toString(listener.port());
    }

    /** One C-STORE over a fresh raw association; returns the status of the C-STORE-RSP. */
    private int storeRaw(String sopClass, String sopInstance, byte[] dataSet) throws Exception {
        try (RawAssociation a = RawAssociation.connect(listener.port())) {
            assertEquals(0, RawAssociation.contextResult(a.associate(AE, "RAW", sopClass, EXPLICIT_LE)));
            a.store(RawAssociation.storeCommand(sopClass, sopInstance), dataSet);
            int status = a.readStatus();
            a.release();
            return status;
        }
    }

    private static AttributeList readList(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        return list;
    }

    private static byte[] dataSetOf(Path file) throws Exception {
        return dataSetOf(readList(file));
    }

    /** The data set without its File Meta Information, in explicit VR little endian, as a C-STORE carries it. */
    private static byte[] dataSetOf(AttributeList list) throws Exception {
        AttributeList copy = (AttributeList) list.clone();
        copy.removeMetaInformationHeaderAttributes();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DicomOutputStream out = new DicomOutputStream(bytes, null, EXPLICIT_LE);
        copy.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private void assertLogged(String code) {
        assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(code)),
                () -> code + " not logged; got: " + logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    /** C-ECHO answers, a good instance is stored, and the spool holds no part file or junk beside the good ones. */
    private void assertStillServing() throws Exception {
        long storedBefore = listener.counters().instancesStored();
        Tool.run("echoscu", "-aet", "AFTER", "-aec", AE, "127.0.0.1", port()).ok();
        Path good = TinyCt.write(fixtures.resolve("good"), 1).get(0);
        Tool.run("storescu", "-aet", "AFTER", "-aec", AE, "127.0.0.1", port(), good.toString()).ok();
        assertEquals(storedBefore + 1, listener.counters().instancesStored());
        try (Stream<Path> files = Files.walk(spool.resolve(SpoolWriter.INCOMING))) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertEquals(List.of(spool.resolve(SpoolWriter.INCOMING).resolve(TinyCt.STUDY).resolve(TinyCt.SERIES)
                    .resolve(TinyCt.sop(0) + ".dcm")), all, "only the good instance is in the spool");
        }
    }
}
