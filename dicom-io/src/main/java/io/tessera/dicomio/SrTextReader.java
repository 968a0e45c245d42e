package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Extracts the report text of a Basic Text, Enhanced or Comprehensive SR: the content tree is walked depth-first in
 * document order; every CONTAINER's concept name becomes a heading line, every TEXT value its own paragraph, and NUM
 * and CODE items under a CONTAINS relationship a "name: value" line (a measurement or coded finding is part of what the
 * report says). Observation context (observer names, organisation), acquisition context, image and coordinate
 * references are left out: they are not report text, and names are PHI.
 *
 * <p>Only the three text-bearing SR classes are read; Comprehensive 3D SR (what Tessera itself writes, TID 1500) is
 * not, so Tessera's own results sent back into a study are never taken for the radiologist's report.
 */
public final class SrTextReader {
    public static final String BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11";
    public static final String ENHANCED_SR = "1.2.840.10008.5.1.4.1.1.88.22";
    public static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";
    public static final Set<String> SOP_CLASSES = Set.of(BASIC_TEXT_SR, ENHANCED_SR, COMPREHENSIVE_SR);
    private static final int MAX_DEPTH = 32;

    private SrTextReader() {}

    /** True when instances of this SOP class are read as reports. */
    public static boolean isReportSr(String sopClassUid) {
        return sopClassUid != null && SOP_CLASSES.contains(sopClassUid.trim());
    }

    /**
     * Reads the report text of {@code file}.
     *
     * @throws IOException with {@code TSR-0870} when the file is not DICOM, {@code TSR-0871} when it is not one of
     *                     {@link #SOP_CLASSES}, {@code TSR-0872} when its content tree holds no text
     */
    public static SrText read(Path file) throws IOException {
        AttributeList l = new AttributeList();
        try {
            l.read(file.toFile());
        } catch (DicomException | IOException | RuntimeException e) {
            throw new IOException("TSR-0870: cannot read " + file.getFileName() + " as DICOM: " + e.getMessage(), e);
        }
        String sopClass = Dcm.get(l, "SOPClassUID");
        if (!isReportSr(sopClass)) {
            throw new IOException("TSR-0871: " + file.getFileName() + " is not a Basic Text, Enhanced or Comprehensive SR "
                    + "(SOP class '" + sopClass + "')");
        }
        List<String> blocks = new ArrayList<>();
        walk(l, blocks, 0);
        String text = String.join("\n", blocks).strip();
        if (text.isEmpty()) throw new IOException("TSR-0872: " + file.getFileName() + " holds no report text");
        return new SrText(Dcm.get(l, "SOPInstanceUID"), sopClass, Dcm.get(l, "StudyInstanceUID"),
                Dcm.get(l, "AccessionNumber"), "VERIFIED".equals(Dcm.get(l, "VerificationFlag")), text);
    }

    /** {@code item} is the root data set or one content item. */
    private static void walk(AttributeList item, List<String> out, int depth) {
        if (depth > MAX_DEPTH) return; // a malformed, cyclic-looking tree; what was read so far stands
        String type = Dcm.get(item, "ValueType");
        String relation = Dcm.get(item, "RelationshipType");
        if (relation.equals("HAS OBS CONTEXT") || relation.equals("HAS ACQ CONTEXT")) return;
        String name = conceptName(item);
        switch (type) {
            case "CONTAINER" -> {
                if (!name.isEmpty()) {
                    if (!out.isEmpty()) out.add("");
                    out.add(name);
                }
            }
            case "TEXT" -> {
                String v = normalise(Dcm.get(item, "TextValue"));
                if (!v.isEmpty()) out.add(v);
            }
            case "NUM" -> {
                if (relation.equals("CONTAINS")) {
                    String v = numeric(item);
                    if (!v.isEmpty()) out.add(name.isEmpty() ? v : name + ": " + v);
                }
            }
            case "CODE" -> {
                if (relation.equals("CONTAINS")) {
                    AttributeList code = Dcm.firstItem(item, "ConceptCodeSequence");
                    String v = code == null ? "" : Dcm.get(code, "CodeMeaning");
                    if (!v.isEmpty()) out.add(name.isEmpty() ? v : name + ": " + v);
                }
            }
            default -> { /* IMAGE, SCOORD, UIDREF, PNAME, DATE, ...: not report text */ }
        }
        SequenceAttribute children = Dcm.getSeq(item, "ContentSequence");
        if (children == null) return;
        for (int i = 0; i < children.getNumberOfItems(); i++) {
            walk(children.getItem(i).getAttributeList(), out, depth + 1);
        }
    }

    private static String conceptName(AttributeList item) {
        AttributeList code = Dcm.firstItem(item, "ConceptNameCodeSequence");
        return code == null ? "" : Dcm.get(code, "CodeMeaning");
    }

    private static String numeric(AttributeList item) {
        AttributeList mv = Dcm.firstItem(item, "MeasuredValueSequence");
        if (mv == null) return "";
        String value = Dcm.get(mv, "NumericValue");
        AttributeList unit = Dcm.firstItem(mv, "MeasurementUnitsCodeSequence");
        String u = unit == null ? "" : Dcm.get(unit, "CodeValue");
        return value.isEmpty() ? "" : u.isEmpty() || u.equals("1") ? value : value + " " + u;
    }

    /** CR LF and lone CR become LF; trailing blanks of each line and of the whole go. */
    private static String normalise(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n').replaceAll("[ \\t]+\n", "\n").strip();
    }
}
