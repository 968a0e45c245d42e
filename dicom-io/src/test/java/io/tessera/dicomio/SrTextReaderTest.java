package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TransferSyntax;
import io.tessera.core.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SrTextReaderTest {
    static final Path PYDICOM = SeriesReaderTransferSyntaxTest.PYDICOM;
    @TempDir Path dir;

    @Test
    void an_enhanced_sr_gives_headings_text_and_measurements_in_document_order_without_observer_names() throws Exception {
        Path f = writeSr(SrTextReader.ENHANCED_SR, "ACC-77", "VERIFIED");
        SrText sr = SrTextReader.read(f);
        assertEquals("""
                Imaging Report

                Findings
                8 mm nodule in the right lower lobe.
                No pleural effusion.
                Diameter: 8 mm

                Impression
                Pulmonary nodule, right lower lobe.""", sr.text());
        assertFalse(sr.text().contains("Doe"), "observer name is context, not report text");
        assertEquals("ACC-77", sr.accessionNumber());
        assertEquals("1.2.826.0.1.3680043.10.1234.1", sr.studyInstanceUid());
        assertEquals("1.2.826.0.1.3680043.10.1234.3", sr.sopInstanceUid());
        assertEquals(SrTextReader.ENHANCED_SR, sr.sopClassUid());
        assertTrue(sr.verified());
    }

    @Test
    void a_basic_text_sr_without_accession_is_read_and_unverified() throws Exception {
        SrText sr = SrTextReader.read(writeSr(SrTextReader.BASIC_TEXT_SR, null, "UNVERIFIED"));
        assertEquals("", sr.accessionNumber());
        assertFalse(sr.verified());
        assertTrue(sr.text().startsWith("Imaging Report\n\nFindings\n8 mm nodule"), sr.text());
    }

    @Test
    void pydicoms_basic_text_sr_gives_its_section_and_text_but_no_observer_context() throws Exception {
        Path f = PYDICOM.resolve("reportsi.dcm");
        assumeTrue(Files.exists(f), "python3-pydicom test files not installed (scripts/bootstrap.sh)");
        SrText sr = SrTextReader.read(f);
        assertEquals("Document Title\n\nSection Heading\nEnter text", sr.text());
        assertEquals("1.2.276.0.7230010.3.1.2.1787205428.166.1117461927.5", sr.studyInstanceUid());
    }

    @Test
    void pydicoms_comprehensive_sr_gives_text_and_numeric_items_with_line_ends_normalised() throws Exception {
        Path f = PYDICOM.resolve("test-SR.dcm");
        assumeTrue(Files.exists(f), "python3-pydicom test files not installed (scripts/bootstrap.sh)");
        SrText sr = SrTextReader.read(f);
        assertTrue(sr.text().startsWith("Diagnosis\nA mass of\n"), sr.text());
        assertTrue(sr.text().contains("was detected."), sr.text());
        assertTrue(sr.text().contains("Sample Text\nA\nB\nC"), sr.text());
        assertFalse(sr.text().contains("\r"));
        assertEquals(SrTextReader.COMPREHENSIVE_SR, sr.sopClassUid());
    }

    @Test
    void an_image_or_non_dicom_file_is_refused_with_a_stable_code() throws Exception {
        Path ct = PYDICOM.resolve("CT_small.dcm");
        if (Files.exists(ct)) {
            IOException e = assertThrows(IOException.class, () -> SrTextReader.read(ct));
            assertTrue(e.getMessage().startsWith("TSR-0871:"), e.getMessage());
        }
        Path junk = Files.write(dir.resolve("junk.dcm"), "not dicom at all".getBytes());
        IOException e = assertThrows(IOException.class, () -> SrTextReader.read(junk));
        assertTrue(e.getMessage().startsWith("TSR-0870:"), e.getMessage());
        assertFalse(SrTextReader.isReportSr("1.2.840.10008.5.1.4.1.1.88.34"), "Tessera's own Comprehensive 3D SR is not a report");
    }

    /** A small SR: observer context (a name that must not appear), two sections with TEXT, a NUM, an image reference. */
    private Path writeSr(String sopClass, String accession, String verification) throws Exception {
        AttributeList l = new AttributeList();
        Dcm.put(l, "SOPClassUID", sopClass);
        Dcm.put(l, "SOPInstanceUID", "1.2.826.0.1.3680043.10.1234.3");
        Dcm.put(l, "StudyInstanceUID", "1.2.826.0.1.3680043.10.1234.1");
        Dcm.put(l, "SeriesInstanceUID", "1.2.826.0.1.3680043.10.1234.2");
        Dcm.put(l, "Modality", "SR");
        if (accession != null) Dcm.put(l, "AccessionNumber", accession);
        Dcm.put(l, "PatientName", "Doe^John");
        Dcm.put(l, "ValueType", "CONTAINER");
        Dcm.put(l, "ContinuityOfContent", "SEPARATE");
        Dcm.put(l, "CompletionFlag", "COMPLETE");
        Dcm.put(l, "VerificationFlag", verification);
        Dcm.code(l, "ConceptNameCodeSequence", new Code("LN", "18748-4", "Imaging Report"));
        SequenceAttribute root = Dcm.seq(l, "ContentSequence");
        AttributeList observer = content(root, "HAS OBS CONTEXT", "PNAME", new Code("DCM", "121008", "Person Observer Name"));
        Dcm.put(observer, "PersonName", "Doe^Jane");
        AttributeList findings = content(root, "CONTAINS", "CONTAINER", new Code("DCM", "121070", "Findings"));
        Dcm.put(findings, "ContinuityOfContent", "SEPARATE");
        SequenceAttribute f = Dcm.seq(findings, "ContentSequence");
        Dcm.put(content(f, "CONTAINS", "TEXT", new Code("DCM", "121071", "Finding")), "TextValue",
                "8 mm nodule in the right lower lobe.\r\nNo pleural effusion.  \r\n");
        AttributeList num = content(f, "CONTAINS", "NUM", new Code("SCT", "81827009", "Diameter"));
        AttributeList mv = Dcm.item(Dcm.seq(num, "MeasuredValueSequence"));
        Dcm.put(mv, "NumericValue", "8");
        Dcm.code(mv, "MeasurementUnitsCodeSequence", new Code("UCUM", "mm", "millimeter"));
        AttributeList impression = content(root, "CONTAINS", "CONTAINER", new Code("DCM", "121072", "Impressions"));
        Dcm.code(impression, "ConceptNameCodeSequence", new Code("DCM", "121073", "Impression"));
        Dcm.put(impression, "ContinuityOfContent", "SEPARATE");
        SequenceAttribute i = Dcm.seq(impression, "ContentSequence");
        Dcm.put(content(i, "CONTAINS", "TEXT", new Code("DCM", "121073", "Impression")), "TextValue",
                "Pulmonary nodule, right lower lobe.");
        content(i, "CONTAINS", "IMAGE", new Code("DCM", "121112", "Source of Measurement"));
        FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "TESSERA");
        Path out = dir.resolve("sr-" + sopClass + ".dcm");
        l.write(out.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return out;
    }

    private static AttributeList content(SequenceAttribute parent, String relation, String type, Code concept) {
        AttributeList item = Dcm.item(parent);
        Dcm.put(item, "RelationshipType", relation);
        Dcm.put(item, "ValueType", type);
        Dcm.code(item, "ConceptNameCodeSequence", concept);
        return item;
    }
}
