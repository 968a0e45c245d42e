package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.Code;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads back what matters of a TID 1500 report, independently of the writer's helpers: its measurement groups, and the
 * tracking UIDs of a SEG's segments — so tests (and tools) can check that SR groups and SEG segments agree.
 */
public final class MeasurementReportReader {
    private MeasurementReportReader() {}

    /** The measurement groups under Imaging Measurements, in document order. */
    public static List<SrMeasurementGroup> groups(Path srFile) throws IOException {
        AttributeList root = read(srFile);
        if (!SrInfo.COMPREHENSIVE_3D_SR.equals(Dcm.get(root, "SOPClassUID"))) {
            throw new IOException("TSR-0256: " + srFile.getFileName() + " is not a Comprehensive 3D SR");
        }
        List<SrMeasurementGroup> out = new ArrayList<>();
        for (AttributeList m : children(root, "126010")) {
            for (AttributeList g : children(m, "125007")) out.add(group(g));
        }
        return out;
    }

    /** Segment number → TrackingUID of every segment of a SEG that has one. */
    public static Map<Integer, String> segmentTrackingUids(Path segFile) throws IOException {
        AttributeList l = read(segFile);
        Map<Integer, String> out = new LinkedHashMap<>();
        SequenceAttribute seq = Dcm.getSeq(l, "SegmentSequence");
        if (seq == null) return out;
        for (int i = 0; i < seq.getNumberOfItems(); i++) {
            AttributeList s = seq.getItem(i).getAttributeList();
            String uid = Dcm.get(s, "TrackingUID");
            if (!uid.isEmpty()) out.put(Integer.parseInt(Dcm.get(s, "SegmentNumber")), uid);
        }
        return out;
    }

    private static SrMeasurementGroup group(AttributeList g) {
        Map<String, AttributeList> byConcept = new HashMap<>();
        double volume = Double.NaN, diameter = Double.NaN;
        for (AttributeList c : items(g)) {
            String concept = conceptValue(c);
            byConcept.putIfAbsent(concept, c);
            if (concept.equals("118565006")) volume = number(c);
            if (concept.equals("81827009")) diameter = number(c);
        }
        AttributeList site = byConcept.get("363698007");
        Code laterality = null;
        if (site != null) {
            for (AttributeList c : items(site)) if (conceptValue(c).equals("272741003")) laterality = code(c, "ConceptCodeSequence");
        }
        AttributeList seg = byConcept.get("121191");
        AttributeList ref = seg == null ? null : Dcm.firstItem(seg, "ReferencedSOPSequence");
        return new SrMeasurementGroup(
                string(byConcept.get("112039"), "TextValue"), string(byConcept.get("112040"), "UID"),
                byConcept.containsKey("121071") ? code(byConcept.get("121071"), "ConceptCodeSequence") : null,
                site == null ? null : code(site, "ConceptCodeSequence"), laterality,
                ref == null ? null : Dcm.get(ref, "ReferencedSOPInstanceUID"),
                ref == null || Dcm.get(ref, "ReferencedSegmentNumber").isEmpty() ? 0
                        : Integer.parseInt(Dcm.get(ref, "ReferencedSegmentNumber")),
                string(byConcept.get("121232"), "UID"), volume, diameter);
    }

    private static List<AttributeList> children(AttributeList parent, String conceptValue) {
        List<AttributeList> out = new ArrayList<>();
        for (AttributeList c : items(parent)) if (conceptValue.equals(conceptValue(c))) out.add(c);
        return out;
    }

    private static List<AttributeList> items(AttributeList parent) {
        List<AttributeList> out = new ArrayList<>();
        SequenceAttribute s = Dcm.getSeq(parent, "ContentSequence");
        if (s != null) for (int i = 0; i < s.getNumberOfItems(); i++) out.add(s.getItem(i).getAttributeList());
        return out;
    }

    private static String conceptValue(AttributeList item) {
        AttributeList c = Dcm.firstItem(item, "ConceptNameCodeSequence");
        return c == null ? "" : Dcm.get(c, "CodeValue");
    }

    private static Code code(AttributeList item, String keyword) {
        AttributeList c = Dcm.firstItem(item, keyword);
        return c == null ? null : new Code(Dcm.get(c, "CodingSchemeDesignator"), Dcm.get(c, "CodeValue"), Dcm.get(c, "CodeMeaning"));
    }

    private static String string(AttributeList item, String keyword) {
        return item == null ? null : Dcm.get(item, keyword);
    }

    private static double number(AttributeList item) {
        AttributeList m = Dcm.firstItem(item, "MeasuredValueSequence");
        String v = m == null ? "" : Dcm.get(m, "NumericValue");
        return v.isEmpty() ? Double.NaN : Double.parseDouble(v);
    }

    private static AttributeList read(Path f) throws IOException {
        AttributeList l = new AttributeList();
        try {
            l.read(f.toFile());
        } catch (DicomException | RuntimeException e) {
            throw new IOException("TSR-0256: cannot read " + f.getFileName() + " as DICOM: " + e.getMessage(), e);
        }
        return l;
    }
}
