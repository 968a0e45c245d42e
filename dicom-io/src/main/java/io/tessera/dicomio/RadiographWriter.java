package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherWordAttribute;
import io.tessera.core.Code;
import io.tessera.core.StudyInfo;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a single-frame PA chest projection radiograph as DX (For Presentation) or CR: 12 bits stored in 16,
 * Imager Pixel Spacing (no Pixel Spacing: the spacing is at the detector, not calibrated to the patient), a VOI LUT
 * window, no patient geometry (Image Position/Orientation) as projection images have none, Patient Orientation
 * {@code L\F} (columns toward the patient's left, rows toward the feet). MONOCHROME1 stores {@code 4095 - v} and
 * mirrors the window centre, so both photometric interpretations display the same picture.
 */
public final class RadiographWriter {
    private static final Code CHEST = Code.sct("43799004", "Chest");
    private static final int MAX = 4095;

    /**
     * @param pixels    {@code columns × rows} 12-bit values, MONOCHROME2 sense, x fastest
     * @param spacingMm imager pixel spacing (row spacing = column spacing)
     */
    public Path write(short[] pixels, int columns, int rows, double spacingMm, StudyInfo study, RadiographSpec spec, Path file)
            throws IOException {
        if (pixels.length != columns * rows) throw new IllegalArgumentException("TSR-0257: pixels do not fill " + columns + "x" + rows);
        AttributeList l = new AttributeList();
        boolean dx = spec.kind() == RadiographSpec.Kind.DX;
        Dcm.put(l, "SOPClassUID", spec.kind().sopClassUid);
        Dcm.put(l, "SOPInstanceUID", spec.sopInstanceUid());
        StudyModules.put(l, study);
        Dcm.put(l, "Modality", dx ? "DX" : "CR");
        Dcm.put(l, "SeriesInstanceUID", spec.seriesInstanceUid());
        Dcm.put(l, "SeriesNumber", Integer.toString(spec.seriesNumber()));
        if (spec.seriesDescription() != null) Dcm.put(l, "SeriesDescription", spec.seriesDescription());
        Dcm.put(l, "BodyPartExamined", "CHEST");
        Dcm.put(l, "ViewPosition", "PA");
        Dcm.put(l, "Manufacturer", "Tessera");
        Dcm.put(l, "ManufacturerModelName", "Tessera testkit radiography");
        Dcm.put(l, "DeviceSerialNumber", "0");
        Dcm.put(l, "SoftwareVersions", "1");
        Dcm.put(l, "InstanceNumber", "1");
        Dcm.put(l, "ContentDate", Dcm.nz(study.studyDate()));
        Dcm.put(l, "ContentTime", Dcm.nz(study.studyTime()));
        Dcm.put(l, "AcquisitionNumber", "1");
        Dcm.put(l, "PatientOrientation", "L", "F");
        Dcm.put(l, "ImageType", "ORIGINAL", "PRIMARY");
        Dcm.put(l, "ImagerPixelSpacing", Dcm.ds(spacingMm), Dcm.ds(spacingMm));
        Dcm.put(l, "KVP", "120");
        Dcm.putInt(l, "SamplesPerPixel", 1);
        Dcm.put(l, "PhotometricInterpretation", spec.monochrome1() ? "MONOCHROME1" : "MONOCHROME2");
        Dcm.putInt(l, "Rows", rows);
        Dcm.putInt(l, "Columns", columns);
        Dcm.putInt(l, "BitsAllocated", 16);
        Dcm.putInt(l, "BitsStored", 12);
        Dcm.putInt(l, "HighBit", 11);
        Dcm.putInt(l, "PixelRepresentation", 0);
        Dcm.put(l, "RescaleIntercept", "0");
        Dcm.put(l, "RescaleSlope", "1");
        Dcm.put(l, "RescaleType", "US");
        double center = spec.monochrome1() ? MAX - spec.windowCenter() : spec.windowCenter();
        Dcm.put(l, "WindowCenter", Dcm.ds(center));
        Dcm.put(l, "WindowWidth", Dcm.ds(spec.windowWidth()));
        Dcm.put(l, "LossyImageCompression", "00");
        Dcm.put(l, "BurnedInAnnotation", "NO");
        if (dx) dxModules(l, spec);
        Dcm.code(l, "AnatomicRegionSequence", CHEST);
        short[] stored = pixels;
        if (spec.monochrome1()) {
            stored = new short[pixels.length];
            for (int i = 0; i < pixels.length; i++) stored[i] = (short) (MAX - Math.max(0, Math.min(MAX, pixels[i])));
        }
        try {
            OtherWordAttribute px = new OtherWordAttribute(Dcm.tag("PixelData"));
            px.setValues(stored);
            l.put(px);
            Dcm.writePart10(l, file);
        } catch (DicomException e) {
            throw new IOException("TSR-0258: cannot write the radiograph: " + e.getMessage(), e);
        }
        return file;
    }

    /** DX Series, DX Image, DX Anatomy Imaged, DX Detector and Acquisition Context: what the DX IOD adds to CR's. */
    private static void dxModules(AttributeList l, RadiographSpec spec) {
        Dcm.put(l, "PresentationIntentType", "FOR PRESENTATION");
        Dcm.put(l, "PixelIntensityRelationship", "LOG");
        Dcm.putInt(l, "PixelIntensityRelationshipSign", 1);
        Dcm.put(l, "PresentationLUTShape", spec.monochrome1() ? "INVERSE" : "IDENTITY");
        Dcm.put(l, "ImageLaterality", "U");
        Dcm.put(l, "DetectorType", "SCINTILLATOR");
        Dcm.put(l, "PatientPosition");  // type 2C: not a table acquisition
        Dcm.seq(l, "AcquisitionContextSequence");
        Dcm.put(l, "PositionerType");  // type 2: an upright chest stand is none of the enumerated positioners
        Dcm.code(l, "ViewCodeSequence", Code.sct("399348003", "postero-anterior"));
        Dcm.put(l, "ImageType", "ORIGINAL", "PRIMARY", "");
    }
}
