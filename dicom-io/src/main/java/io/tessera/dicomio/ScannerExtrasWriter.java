package io.tessera.dicomio;

import static io.tessera.dicomio.SrContent.CONTAINS;
import static io.tessera.dicomio.SrContent.HAS_CONCEPT_MOD;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import io.tessera.core.Code;
import io.tessera.core.Grid;
import io.tessera.core.StudyInfo;
import io.tessera.core.Uids;
import io.tessera.core.Volume;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes what a CT scanner sends beside its reconstructions, so tests see studies as they arrive: a localizer (a
 * single projection image, ImageType LOCALIZER, coronal or sagittal), a dose screen (a Secondary Capture picture with
 * Modality CT and no patient geometry) and an X-Ray Radiation Dose SR (TID 10011 root with the accumulated dose).
 * Instance UIDs derive from the series UID, so the same call writes the same objects.
 */
public final class ScannerExtrasWriter {
    public static final String XRAY_RADIATION_DOSE_SR = "1.2.840.10008.5.1.4.1.1.88.67";
    private static final Code DCM_DOSE_REPORT = new Code("DCM", "113701", "X-Ray Radiation Dose Report");

    /**
     * The mean projection of an axial HU volume seen from the front ({@code sagittal} false: rows run feet-ward, columns
     * to the patient's left) or the side (columns run posterior), as one CT image in its own series.
     */
    public Path localizer(Volume hu, StudyInfo study, CtSeriesSpec spec, boolean sagittal, Path file) throws IOException {
        Grid g = hu.grid();
        int rows = g.nz();
        int cols = sagittal ? g.ny() : g.nx();
        int depth = sagittal ? g.nx() : g.ny();
        short[] stored = new short[rows * cols];
        for (int r = 0; r < rows; r++) {
            int k = g.nz() - 1 - r;  // top row is the head end
            for (int c = 0; c < cols; c++) {
                double sum = 0;
                for (int d = 0; d < depth; d++) sum += sagittal ? hu.get(d, c, k) : hu.get(c, d, k);
                stored[r * cols + c] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.rint(sum / depth + 1024)));
            }
        }
        AttributeList l = new AttributeList();
        common(l, study, SOPClass.CTImageStorage, Uids.derive(spec.seriesInstanceUid(), "localizer"), "CT", spec.seriesInstanceUid(),
                spec.seriesNumber(), spec.seriesDescription(), spec.manufacturer());
        Dcm.put(l, "FrameOfReferenceUID", spec.frameOfReferenceUid());
        Dcm.put(l, "PositionReferenceIndicator");
        Dcm.put(l, "PatientPosition", spec.patientPosition());
        if (spec.bodyPartExamined() != null) Dcm.put(l, "BodyPartExamined", spec.bodyPartExamined());
        Dcm.put(l, "PatientOrientation");
        Dcm.put(l, "ImageType", "ORIGINAL", "PRIMARY", "LOCALIZER");
        Dcm.put(l, "SliceThickness", "0.6");
        Dcm.put(l, "AcquisitionNumber", "1");
        double[] top = sagittal ? g.toPatient((g.nx() - 1) / 2.0, 0, g.nz() - 1) : g.toPatient(0, (g.ny() - 1) / 2.0, g.nz() - 1);
        Dcm.put(l, "ImagePositionPatient", Dcm.ds(top[0]), Dcm.ds(top[1]), Dcm.ds(top[2]));
        Dcm.put(l, "ImageOrientationPatient", sagittal ? new String[] {"0", "1", "0", "0", "0", "-1"}
                : new String[] {"1", "0", "0", "0", "0", "-1"});
        Dcm.put(l, "PixelSpacing", Dcm.ds(g.spacing()[2]), Dcm.ds(g.spacing()[sagittal ? 1 : 0]));
        Dcm.monochrome16(l, rows, cols);
        Dcm.put(l, "RescaleIntercept", "-1024");
        Dcm.put(l, "RescaleSlope", "1");  // no RescaleType: a projection's values are not HU
        Dcm.put(l, "KVP", "120");
        try {
            OtherWordAttribute px = new OtherWordAttribute(Dcm.tag("PixelData"));
            px.setValues(stored);
            l.put(px);
        } catch (DicomException e) {
            throw new IOException("TSR-0250: cannot write the localizer: " + e.getMessage(), e);
        }
        return write(l, file, "localizer");
    }

    /** A dose screen as scanners make it: a Secondary Capture picture, Modality CT, no Image Position/Orientation. */
    public Path doseScreen(StudyInfo study, String seriesUid, int seriesNumber, String description, Path file) throws IOException {
        AttributeList l = new AttributeList();
        common(l, study, SOPClass.SecondaryCaptureImageStorage, Uids.derive(seriesUid, "dose-screen"), "CT", seriesUid,
                seriesNumber, description, "Tessera");
        Dcm.put(l, "PatientOrientation");
        Dcm.put(l, "Laterality"); // type 2C; a picture of a table has no body part to say it of
        Dcm.put(l, "ConversionType", "WSD");
        Dcm.put(l, "ImageType", "DERIVED", "SECONDARY", "OTHER");
        Dcm.put(l, "BurnedInAnnotation", "YES");
        int rows = 128;
        int cols = 192;
        Dcm.putInt(l, "SamplesPerPixel", 1);
        Dcm.put(l, "PhotometricInterpretation", "MONOCHROME2");
        Dcm.putInt(l, "Rows", rows);
        Dcm.putInt(l, "Columns", cols);
        Dcm.putInt(l, "BitsAllocated", 8);
        Dcm.putInt(l, "BitsStored", 8);
        Dcm.putInt(l, "HighBit", 7);
        Dcm.putInt(l, "PixelRepresentation", 0);
        byte[] px = new byte[rows * cols];
        for (int r = 16; r < rows - 16; r += 12) {  // lines of "text": the table a dose screen shows
            for (int c = 16; c < cols - 16; c++) if ((c / 6) % 3 != 2) for (int t = 0; t < 5; t++) px[(r + t) * cols + c] = (byte) 220;
        }
        try {
            OtherByteAttribute pixels = new OtherByteAttribute(Dcm.tag("PixelData"));
            pixels.setValues(px);
            l.put(pixels);
        } catch (DicomException e) {
            throw new IOException("TSR-0251: cannot write the dose screen: " + e.getMessage(), e);
        }
        return write(l, file, "dose screen");
    }

    /**
     * An X-Ray Radiation Dose SR with the CT root container (TID 10011), procedure reported, scope of accumulation (this
     * study) and CT Accumulated Dose Data (events, DLP total in mGy.cm): the part of a real one that routing looks at.
     */
    public Path doseReport(StudyInfo study, String seriesUid, int seriesNumber, int events, double dlpMgyCm, Path file)
            throws IOException {
        AttributeList l = new AttributeList();
        common(l, study, XRAY_RADIATION_DOSE_SR, Uids.derive(seriesUid, "dose-sr"), "SR", seriesUid, seriesNumber,
                "Radiation Dose Information", "Tessera");
        Dcm.seq(l, "ReferencedPerformedProcedureStepSequence");
        Dcm.put(l, "CompletionFlag", "COMPLETE");
        Dcm.put(l, "VerificationFlag", "UNVERIFIED");
        Dcm.seq(l, "PerformedProcedureCodeSequence");
        Dcm.put(l, "ValueType", "CONTAINER");
        Dcm.code(l, "ConceptNameCodeSequence", DCM_DOSE_REPORT);
        Dcm.put(l, "ContinuityOfContent", "SEPARATE");
        SrContent.template(l, "10011");
        SrContent.code(l, HAS_CONCEPT_MOD, new Code("DCM", "121058", "Procedure reported"),
                Code.sct("77477000", "Computed Tomography X-Ray"));
        AttributeList scope = SrContent.code(l, CONTAINS, new Code("DCM", "113705", "Scope of Accumulation"),
                new Code("DCM", "113014", "Study"));
        SrContent.uidref(scope, "HAS PROPERTIES", new Code("DCM", "110180", "Study Instance UID"), study.studyInstanceUid());
        AttributeList accumulated = SrContent.container(l, CONTAINS, new Code("DCM", "113811", "CT Accumulated Dose Data"), null);
        SrContent.num(accumulated, CONTAINS, new Code("DCM", "113812", "Total Number of Irradiation Events"), events,
                new Code("UCUM", "{events}", "events"));
        SrContent.num(accumulated, CONTAINS, new Code("DCM", "113813", "CT Dose Length Product Total"), dlpMgyCm,
                new Code("UCUM", "mGy.cm", "mGy.cm"));
        return write(l, file, "dose report");
    }

    /** SOP Common, Patient, General Study, General Series, General Equipment and the instance's identity and time. */
    private static void common(AttributeList l, StudyInfo study, String sopClass, String sop, String modality, String seriesUid,
                               int seriesNumber, String description, String manufacturer) {
        Dcm.put(l, "SOPClassUID", sopClass);
        Dcm.put(l, "SOPInstanceUID", sop);
        StudyModules.put(l, study);
        Dcm.put(l, "Modality", modality);
        Dcm.put(l, "SeriesInstanceUID", seriesUid);
        Dcm.put(l, "SeriesNumber", Integer.toString(seriesNumber));
        if (description != null) Dcm.put(l, "SeriesDescription", description);
        Dcm.put(l, "Manufacturer", Dcm.nz(manufacturer));
        Dcm.put(l, "ManufacturerModelName", "Tessera testkit scanner");
        Dcm.put(l, "DeviceSerialNumber", "0");
        Dcm.put(l, "SoftwareVersions", "1");
        Dcm.put(l, "InstanceNumber", "1");
        Dcm.put(l, "ContentDate", Dcm.nz(study.studyDate()));
        Dcm.put(l, "ContentTime", Dcm.nz(study.studyTime()));
    }

    private static Path write(AttributeList l, Path file, String what) throws IOException {
        try {
            Dcm.writePart10(l, file);
        } catch (DicomException e) {
            throw new IOException("TSR-0252: cannot write the " + what + ": " + e.getMessage(), e);
        }
        return file;
    }
}
