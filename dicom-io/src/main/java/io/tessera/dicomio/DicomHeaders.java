package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Key attributes of one instance for routing and indexing, read without its pixel data. */
public final class DicomHeaders {
    /** The keywords returned when present (multi-valued ones joined with {@code \}). */
    public static final List<String> KEYWORDS = List.of(
            "SOPClassUID", "SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID",
            "TransferSyntaxUID", "Modality", "BodyPartExamined", "SeriesDescription", "SeriesNumber", "InstanceNumber",
            "ImageType", "PatientID", "PatientName", "PatientBirthDate", "PatientSex", "AccessionNumber", "StudyDate",
            "StudyTime", "StudyDescription", "StudyID", "Manufacturer", "ManufacturerModelName", "StationName",
            "NumberOfFrames", "Rows", "Columns", "ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing",
            "SliceThickness");

    private DicomHeaders() {}

    /** Keyword → value for the {@link #KEYWORDS} present in {@code file}; absent attributes are absent from the map. */
    public static Map<String, String> read(Path file) throws IOException {
        AttributeList l = new AttributeList();
        try {
            l.read(file.toFile(), Dcm.tag("PixelData"));
        } catch (DicomException | RuntimeException e) {
            throw new IOException("TSR-0205: cannot read " + file.getFileName() + " as DICOM: " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String kw : KEYWORDS) {
            if (l.get(Dcm.tag(kw)) != null) out.put(kw, Dcm.get(l, kw));
        }
        return out;
    }

    /**
     * Every top-level attribute of {@code file} that has a standard keyword and a short text value (sequences and bulk
     * binary values are left out), keyword → value, multi-valued ones joined with {@code \}: what routing rules may test.
     */
    public static Map<String, String> readAll(Path file) throws IOException {
        AttributeList l = new AttributeList();
        try {
            l.read(file.toFile(), Dcm.tag("PixelData"));
        } catch (DicomException | RuntimeException e) {
            throw new IOException("TSR-0205: cannot read " + file.getFileName() + " as DICOM: " + e.getMessage(), e);
        }
        Map<String, String> out = new java.util.TreeMap<>();
        for (Object o : l.values()) {
            com.pixelmed.dicom.Attribute a = (com.pixelmed.dicom.Attribute) o;
            if (a instanceof com.pixelmed.dicom.SequenceAttribute || a.getVL() > 1024) continue;
            byte[] vr = a.getVR();
            if (com.pixelmed.dicom.ValueRepresentation.isOtherByteOrWordVR(vr)
                    || com.pixelmed.dicom.ValueRepresentation.isUnknownVR(vr)) continue;
            String keyword = com.pixelmed.dicom.DicomDictionary.StandardDictionary.getNameFromTag(a.getTag());
            if (keyword == null) continue;
            try {
                out.put(keyword, a.getDelimitedStringValuesOrEmptyString());
            } catch (RuntimeException e) {
                // an attribute whose value cannot be shown as text is not a routing criterion
            }
        }
        return out;
    }
}
