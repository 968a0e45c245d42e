package io.tessera.routes.reports;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Hl7ReportHandlerTest {
    @TempDir Path dir;
    ReportStore store;
    final List<Report> arrived = new ArrayList<>();
    Hl7ReportHandler handler;

    @BeforeEach
    void setUp() {
        store = new ReportStore("jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE");
        Clock clock = Clock.fixed(Instant.parse("2025-01-01T12:00:00Z"), ZoneOffset.UTC);
        handler = new Hl7ReportHandler(new ReportIntake(store, (r, s) -> arrived.add(r), clock), "OBR-3", clock);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    static String segment(String ack, String name) {
        for (String s : ack.split("\r")) if (s.startsWith(name + "|")) return s;
        return null;
    }

    static String field(String segment, int n) {
        String[] f = segment.split("\\|", -1);
        // MSH-1 is the separator itself, so MSH fields are offset by one
        int i = segment.startsWith("MSH|") ? n - 1 : n;
        return i < f.length ? f[i] : "";
    }

    @Test
    void a_good_oru_is_stored_with_accession_study_uid_and_text_and_acknowledged_aa() {
        String ack = handler.handle(Oru.report("MSG-1", "ACC-1001"));
        String msa = segment(ack, "MSA");
        assertEquals("AA", field(msa, 1), ack);
        assertEquals("MSG-1", field(msa, 2));
        String msh = segment(ack, "MSH");
        assertEquals("ACK^R01^ACK", field(msh, 9));
        assertEquals("RIS", field(msh, 5), "the ACK goes back to the sending application");
        assertNull(segment(ack, "ERR"));

        List<Report> reports = store.findFor(null, "ACC-1001");
        assertEquals(1, reports.size());
        Report r = reports.get(0);
        assertEquals(Oru.STUDY_UID, r.studyInstanceUid());
        assertEquals("ACC-1001", r.accessionNumber());
        assertEquals(ReportSource.HL7, r.source());
        assertEquals("""
                8 mm nodule in the right lower lobe.
                No pleural effusion.
                Pulmonary nodule.
                Follow-up CT in 6 months.""", r.text());
        assertEquals(List.of(r), arrived);
        assertEquals(reports, store.findFor(Oru.STUDY_UID, null));
    }

    @Test
    void a_resent_message_is_acknowledged_again_but_stored_once() {
        assertEquals("AA", field(segment(handler.handle(Oru.report("MSG-2", "ACC-2")), "MSA"), 1));
        assertEquals("AA", field(segment(handler.handle(Oru.report("MSG-2", "ACC-2")), "MSA"), 1));
        assertEquals(1, store.findFor(null, "ACC-2").size());
        assertEquals(1, arrived.size(), "a duplicate does not restart anything");
    }

    @Test
    void a_report_without_obr_3_nor_study_uid_is_rejected_ar_with_the_reason() {
        String msg = Oru.report("MSG-3", "").replace("ZDS|" + Oru.STUDY_UID + "^100^Application^DICOM\r", "");
        String ack = handler.handle(msg);
        String msa = segment(ack, "MSA");
        assertEquals("AR", field(msa, 1), ack);
        assertEquals("MSG-3", field(msa, 2));
        assertTrue(field(msa, 3).startsWith("TSR-0862"), ack);
        String err = segment(ack, "ERR");
        assertEquals("101^^HL70357", field(err, 3));
        assertEquals("E", field(err, 4));
        assertTrue(field(err, 8).contains("no accession number in OBR-3"), ack);
        assertTrue(arrived.isEmpty());
    }

    @Test
    void without_obr_3_a_study_uid_in_an_obx_is_enough() {
        String msg = Oru.report("MSG-4", "").replace("ZDS|" + Oru.STUDY_UID + "^100^Application^DICOM",
                "OBX|0|ST|113014^Study Instance UID^DCM||1.2.3.4.5||||||F");
        assertEquals("AA", field(segment(handler.handle(msg), "MSA"), 1));
        Report r = store.findFor("1.2.3.4.5", null).get(0);
        assertNull(r.accessionNumber());
        assertFalse(r.text().contains("1.2.3.4.5"), "the UID observation is not report text");
    }

    @Test
    void the_accession_is_read_from_the_configured_field() {
        Clock clock = Clock.systemUTC();
        Hl7ReportHandler orc = new Hl7ReportHandler(new ReportIntake(store, ReportArrivals.NONE, clock), "OBR-2", clock);
        assertEquals("AA", field(segment(orc.handle(Oru.report("MSG-5", "ACC-5")), "MSA"), 1));
        assertEquals(1, store.findFor(null, "PL-9").size(), "OBR-2 is the placer order number PL-9");
    }

    @Test
    void a_message_that_is_not_an_oru_r01_is_rejected_ar() {
        String adt = "MSH|^~\\&|ADT|HOSP|TESSERA|AI|20250101120000||ADT^A01^ADT_A01|MSG-6|P|2.5\rEVN|A01|20250101\r"
                + "PID|1||PID-1^^^HOSP||Doe^Jane\rPV1|1|I\r";
        String ack = handler.handle(adt);
        assertEquals("AR", field(segment(ack, "MSA"), 1), ack);
        assertEquals("MSG-6", field(segment(ack, "MSA"), 2));
        assertTrue(field(segment(ack, "MSA"), 3).startsWith("TSR-0861: only ORU\\S\\R01"), "^ is escaped as \\S\\ in HL7 text: " + ack);
        assertEquals("200^^HL70357", field(segment(ack, "ERR"), 3));
    }

    @Test
    void an_oru_without_report_text_is_rejected_ar() {
        String msg = Oru.report("MSG-7", "ACC-7").replaceAll("OBX\\|[12]\\|[^\r]*\r", "");
        String ack = handler.handle(msg);
        assertEquals("AR", field(segment(ack, "MSA"), 1), ack);
        assertTrue(field(segment(ack, "MSA"), 3).startsWith("TSR-0863"), ack);
    }

    @Test
    void garbage_and_empty_input_get_an_ar_ack_and_the_handler_goes_on() {
        Random random = new Random(42);
        for (int i = 0; i < 50; i++) {
            byte[] b = new byte[random.nextInt(400)];
            random.nextBytes(b);
            String ack = handler.handle(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertEquals("AR", field(segment(ack, "MSA"), 1), ack);
        }
        assertEquals("AR", field(segment(handler.handle(""), "MSA"), 1));
        String truncated = "MSH|^~\\&|RIS|HOSP|TESSERA|AI|20250101120000||ORU^R01|MSG-8|P|2.5\rOBR|1|";
        String ack = handler.handle(truncated);
        assertEquals("AR", field(segment(ack, "MSA"), 1), ack);
        assertEquals("MSG-8", field(segment(ack, "MSA"), 2), "the control ID is echoed whenever MSH can be read");
        assertTrue(field(segment(ack, "MSA"), 3).startsWith("TSR-08"), ack);
        assertEquals("AA", field(segment(handler.handle(Oru.report("MSG-9", "ACC-9")), "MSA"), 1), "still serving");
    }

    @Test
    void line_feed_separated_segments_and_an_older_version_are_read() {
        String v23 = Oru.report("MSG-10", "ACC-10").replace("|2.5.1", "|2.3").replace("\r", "\n");
        assertEquals("AA", field(segment(handler.handle(v23), "MSA"), 1));
        assertTrue(store.findFor(null, "ACC-10").get(0).text().startsWith("8 mm nodule"));
    }

    @Test
    void a_store_failure_is_an_application_error_ae() {
        store.close();
        String ack = handler.handle(Oru.report("MSG-11", "ACC-11"));
        assertEquals("AE", field(segment(ack, "MSA"), 1), ack);
        assertTrue(field(segment(ack, "MSA"), 3).startsWith("TSR-0864"), ack);
        assertEquals("207^^HL70357", field(segment(ack, "ERR"), 3));
    }
}
