package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.Grid;
import io.tessera.core.StudyInfo;
import io.tessera.core.Uids;
import io.tessera.core.Volume;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a HU volume as one Enhanced CT Image Storage instance (multi-frame, functional groups): Pixel Measures, Plane
 * Orientation and Pixel Value Transformation shared, Plane Position and Frame Content per frame, a Dimension Index on
 * Image Position (Patient). Frames are written in {@code frameOrder} (e.g. reversed or shuffled, to test that readers
 * place frames by position). DERIVED images, so the acquisition-only functional groups do not apply. Used by tests
 * and the testkit; SOP Instance UID {@code Uids.derive(series, "enhanced-ct")}.
 */
public final class EnhancedCtWriter {

    /** Writes the instance to {@code file}; frame f (1-based) is slice {@code frameOrder[f-1]} of the volume. */
    public Path write(Volume huVolume, StudyInfo study, CtSeriesSpec spec, Path file, int[] frameOrder) throws IOException {
        Grid g = huVolume.grid();
        if (frameOrder.length == 0) throw new IllegalArgumentException("no frames");
        int plane = g.nx() * g.ny();
        AttributeList l = new AttributeList();
        try {
            String sop = Uids.derive(spec.seriesInstanceUid(), "enhanced-ct");
            Dcm.put(l, "SOPClassUID", SOPClass.EnhancedCTImageStorage);
            Dcm.put(l, "SOPInstanceUID", sop);
            StudyModules.put(l, study);
            Dcm.put(l, "Modality", "CT");
            Dcm.put(l, "SeriesInstanceUID", spec.seriesInstanceUid());
            Dcm.put(l, "SeriesNumber", Integer.toString(spec.seriesNumber()));
            if (spec.seriesDescription() != null) Dcm.put(l, "SeriesDescription", spec.seriesDescription());
            Dcm.put(l, "PatientPosition", spec.patientPosition() == null ? "HFS" : spec.patientPosition());
            Dcm.put(l, "FrameOfReferenceUID", spec.frameOfReferenceUid());
            Dcm.put(l, "PositionReferenceIndicator");
            // General + Enhanced General Equipment
            Dcm.put(l, "Manufacturer", spec.manufacturer() == null || spec.manufacturer().isEmpty() ? "Tessera" : spec.manufacturer());
            Dcm.put(l, "ManufacturerModelName", "Tessera phantom");
            Dcm.put(l, "DeviceSerialNumber", "1");
            Dcm.put(l, "SoftwareVersions", SegSpec.TESSERA_VERSION);
            // Enhanced CT Image + Image Pixel
            Dcm.put(l, "ImageType", "DERIVED", "PRIMARY", "VOLUME", "NONE");
            Dcm.put(l, "PixelPresentation", "MONOCHROME");
            Dcm.put(l, "VolumetricProperties", "VOLUME");
            Dcm.put(l, "VolumeBasedCalculationTechnique", "NONE");
            Dcm.put(l, "InstanceNumber", "1");
            Dcm.put(l, "ContentDate", Dcm.nz(study.studyDate()));
            Dcm.put(l, "ContentTime", Dcm.nz(study.studyTime()));
            Dcm.put(l, "AcquisitionNumber", "1");
            Dcm.put(l, "ContentQualification", "RESEARCH");
            Dcm.put(l, "BurnedInAnnotation", "NO");
            Dcm.put(l, "LossyImageCompression", "00");
            Dcm.put(l, "PresentationLUTShape", "IDENTITY");
            Dcm.monochrome16(l, g.ny(), g.nx());
            Dcm.put(l, "NumberOfFrames", Integer.toString(frameOrder.length));
            Dcm.seq(l, "AcquisitionContextSequence");
            // Multi-frame Dimension: frames indexed by position
            String dimOrg = Uids.derive(sop, "dimension-organization");
            Dcm.put(Dcm.item(Dcm.seq(l, "DimensionOrganizationSequence")), "DimensionOrganizationUID", dimOrg);
            AttributeList dim = Dcm.item(Dcm.seq(l, "DimensionIndexSequence"));
            Dcm.put(dim, "DimensionOrganizationUID", dimOrg);
            Dcm.putTag(dim, "DimensionIndexPointer", "ImagePositionPatient");
            Dcm.putTag(dim, "FunctionalGroupPointer", "PlanePositionSequence");
            Dcm.put(dim, "DimensionDescriptionLabel", "Image position");
            shared(l, g, spec);
            perFrame(l, g, frameOrder, Uids.derive(sop, "irradiation"));
            short[] stored = new short[plane * frameOrder.length];
            for (int f = 0; f < frameOrder.length; f++) {
                int base = frameOrder[f] * plane;
                for (int p = 0; p < plane; p++) {
                    double v = Math.rint((huVolume.voxels()[base + p] - spec.rescaleIntercept()) / spec.rescaleSlope());
                    stored[f * plane + p] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
                }
            }
            OtherWordAttribute px = new OtherWordAttribute(Dcm.tag("PixelData"));
            px.setValues(stored);
            l.put(px);
            Dcm.writePart10(l, file);
            return file;
        } catch (DicomException e) {
            throw new IOException("TSR-0236: cannot write Enhanced CT: " + e.getMessage(), e);
        }
    }

    private static void shared(AttributeList l, Grid g, CtSeriesSpec spec) {
        AttributeList shared = Dcm.item(Dcm.seq(l, "SharedFunctionalGroupsSequence"));
        AttributeList measures = Dcm.item(Dcm.seq(shared, "PixelMeasuresSequence"));
        Dcm.put(measures, "PixelSpacing", Dcm.ds(g.spacing()[1]), Dcm.ds(g.spacing()[0]));
        Dcm.put(measures, "SliceThickness", Dcm.ds(spec.sliceThickness() > 0 ? spec.sliceThickness() : g.spacing()[2]));
        double[] d = g.direction();
        Dcm.put(Dcm.item(Dcm.seq(shared, "PlaneOrientationSequence")), "ImageOrientationPatient",
                Dcm.ds(d[0]), Dcm.ds(d[1]), Dcm.ds(d[2]), Dcm.ds(d[3]), Dcm.ds(d[4]), Dcm.ds(d[5]));
        AttributeList pvt = Dcm.item(Dcm.seq(shared, "PixelValueTransformationSequence"));
        Dcm.put(pvt, "RescaleIntercept", Dcm.ds(spec.rescaleIntercept()));
        Dcm.put(pvt, "RescaleSlope", Dcm.ds(spec.rescaleSlope()));
        Dcm.put(pvt, "RescaleType", "HU");
        AttributeList voi = Dcm.item(Dcm.seq(shared, "FrameVOILUTSequence"));
        Dcm.put(voi, "WindowCenter", "40");
        Dcm.put(voi, "WindowWidth", "400");
        AttributeList frameType = Dcm.item(Dcm.seq(shared, "CTImageFrameTypeSequence"));
        Dcm.put(frameType, "FrameType", "DERIVED", "PRIMARY", "VOLUME", "NONE");
        Dcm.put(frameType, "PixelPresentation", "MONOCHROME");
        Dcm.put(frameType, "VolumetricProperties", "VOLUME");
        Dcm.put(frameType, "VolumeBasedCalculationTechnique", "NONE");
        AttributeList anatomy = Dcm.item(Dcm.seq(shared, "FrameAnatomySequence"));
        Dcm.put(anatomy, "FrameLaterality", "U");
        Dcm.code(anatomy, "AnatomicRegionSequence", io.tessera.core.Code.sct("818981001", "Abdomen"));
    }

    private static void perFrame(AttributeList l, Grid g, int[] frameOrder, String irradiationUid) {
        SequenceAttribute perFrame = Dcm.seq(l, "PerFrameFunctionalGroupsSequence");
        for (int f = 0; f < frameOrder.length; f++) {
            int k = frameOrder[f];
            AttributeList item = Dcm.item(perFrame);
            AttributeList content = Dcm.item(Dcm.seq(item, "FrameContentSequence"));
            Dcm.putInt(content, "DimensionIndexValues", k + 1);
            Dcm.putInt(content, "InStackPositionNumber", k + 1);
            Dcm.put(content, "StackID", "1");
            double[] p = g.toPatient(0, 0, k);
            Dcm.put(Dcm.item(Dcm.seq(item, "PlanePositionSequence")), "ImagePositionPatient",
                    Dcm.ds(p[0]), Dcm.ds(p[1]), Dcm.ds(p[2]));
            Dcm.put(Dcm.item(Dcm.seq(item, "IrradiationEventIdentificationSequence")), "IrradiationEventUID", irradiationUid);
        }
    }

    /** Frame order 0, 1, …, n-1. */
    public static int[] inOrder(int n) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) o[i] = i;
        return o;
    }
}
