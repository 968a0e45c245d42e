package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Segmentation;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A grounded result set as ORU^R01: the segments a RIS reads, from the same transaction Bundle a FHIR push sends. */
class OruR01Test {
    static final OruR01.Header HEADER = new OruR01.Header("", "", "RIS", "HOSP");

    private static List<String> oru() {
        Segmentation seg = TestResults.segmentation();
        FhirResultSet set = TestResults.MAPPER.map(seg, TestResults.segReference(), TestResults.ISSUED, 1,
                new GroundingResult(GroundingFhirTest.GROUNDER, GroundingFhirTest.findings(seg.labels().grid()),
                        SegReference.segmentation(GroundingFhirTest.GROUNDING_SEG_SERIES, GroundingFhirTest.GROUNDING_SEG_SOP,
                                902, "AI grounded report findings"),
                        GroundingResult.sr(GroundingFhirTest.SR_SERIES, GroundingFhirTest.SR_SOP, 903, "AI measurements")));
        String msg = OruR01.fromTransaction(FhirTransaction.json(set), HEADER, "TSR0001", Instant.parse("2024-03-15T12:00:00Z"));
        assertTrue(msg.endsWith("\r") && !msg.contains("\n"), "segments end with CR only");
        return Arrays.asList(msg.split("\r"));
    }

    private static List<String> starting(List<String> segs, String prefix) {
        return segs.stream().filter(s -> s.startsWith(prefix)).toList();
    }

    @Test
    void header_patient_and_order_carry_the_accession_and_the_status() {
        List<String> segs = oru();
        assertEquals("MSH|^~\\&|TESSERA||RIS|HOSP|20240315120000+0000||ORU^R01^ORU_R01|TSR0001|P|2.5.1", segs.get(0));
        assertTrue(segs.get(1).startsWith("PID|1||"), segs.get(1));
        String obr = starting(segs, "OBR|").get(0);
        String[] f = obr.split("\\|", -1);
        assertEquals("ACC123", f[3], obr);
        assertEquals("18748-4^Diagnostic imaging study^LN", f[4]);
        assertEquals("ACC123", f[18]);
        assertEquals("RAD", f[24]);
        assertEquals("P", f[25], "preliminary");
    }

    @Test
    void findings_are_coded_in_snomed_measurements_in_ucum_and_the_ai_objects_referenced() {
        List<String> segs = oru();
        assertTrue(segs.stream().anyMatch(s -> s.matches("OBX\\|\\d+\\|CWE\\|121071\\^Finding\\^DCM\\|\\d+\\|27925004\\^[^|]*\\^SCT\\|.*")), String.join("\n", segs));
        assertTrue(segs.stream().anyMatch(s -> s.matches("OBX\\|\\d+\\|CWE\\|363698007\\^Finding site\\^SCT\\|\\d+\\|266005\\^.*")));
        assertTrue(segs.stream().anyMatch(s -> s.matches("OBX\\|\\d+\\|NM\\|27925004\\^[^|]*\\^SCT\\|\\d+\\|8\\.0\\|mm\\^mm\\^UCUM\\|.*\\|P")),
                String.join("\n", segs));
        assertTrue(segs.stream().anyMatch(s -> s.matches("OBX\\|\\d+\\|NM\\|118565006\\^Volume\\^SCT\\|\\d+\\|0\\.500\\|mL\\^mL\\^UCUM\\|.*")));
        assertTrue(segs.stream().anyMatch(s -> s.matches("OBX\\|\\d+\\|CWE\\|272741003\\^[^|]*\\|\\d+\\|24028007\\^.*")));
        assertTrue(segs.stream().anyMatch(s -> s.matches("OBX\\|\\d+\\|TX\\|19005-8\\^.*\\|\\|.+\\|+P")));
        assertTrue(segs.stream().anyMatch(s -> s.contains("|ST|110180^Study Instance UID^DCM||" + TestResults.STUDY_UID + "|")));
        assertTrue(segs.stream().anyMatch(s -> s.contains("|ST|112002^Series Instance UID^DCM|SEG.1|" + TestResults.SEG_SERIES_UID)));
        for (String sop : List.of(TestResults.SEG_SOP_UID, GroundingFhirTest.GROUNDING_SEG_SOP, GroundingFhirTest.SR_SOP)) {
            assertTrue(segs.stream().anyMatch(s -> s.contains("|SOPUID^SOP Instance UID ") && s.contains("|" + sop + "|")), sop);
        }
        List<String> obx = starting(segs, "OBX|");
        for (int i = 0; i < obx.size(); i++) assertTrue(obx.get(i).startsWith("OBX|" + (i + 1) + "|"), "set IDs count up");
    }

    @Test
    void delimiters_in_data_are_escaped_and_a_bundle_without_report_is_refused() {
        assertEquals("a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g", Hl7Text.esc("a|b^c&d~e\\f\r\ng"));
        assertThrows(IllegalArgumentException.class, () -> OruR01.fromTransaction(
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}", HEADER, "X", Instant.EPOCH));
    }
}
