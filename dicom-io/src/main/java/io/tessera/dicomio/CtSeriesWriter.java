package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import io.tessera.core.Grid;
import io.tessera.core.StudyInfo;
import io.tessera.core.Uids;
import io.tessera.core.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a HU volume as a CT Image Storage series: one explicit VR little endian Part 10 file per slice, 16-bit signed
 * stored values with rescale, geometry from the grid, deterministic SOP Instance UIDs ({@code Uids.derive(series, "ct", k)}).
 * Used by tests, the testkit and the demo to make series that are sent by C-STORE.
 */
public final class CtSeriesWriter {
    static final String IMPLEMENTATION_AE = "TESSERA";

    /** Writes {@code slice-0000.dcm …} into {@code outDir} (created if needed) and returns the files in slice order. */
    public List<Path> write(Volume huVolume, StudyInfo study, CtSeriesSpec spec, Path outDir) throws IOException {
        return write(huVolume, study, spec, outDir, null);
    }

    /**
     * As {@link #write(Volume, StudyInfo, CtSeriesSpec, Path)}, with slice k at Image Position {@code positions.get(k)}
     * instead of the grid's (uneven spacing, gantry tilt); {@code null} means the grid's positions.
     */
    public List<Path> write(Volume huVolume, StudyInfo study, CtSeriesSpec spec, Path outDir, List<double[]> positions)
            throws IOException {
        return write(huVolume, study, spec, outDir, positions, false);
    }

    /**
     * The same volume as an MR Image Storage series (a test or demo MR sequence: {@code spec}'s description names it,
     * e.g. "T1" or "FLAIR"): no rescale to HU, the MR Image module's acquisition attributes, SOP UIDs of their own.
     */
    public List<Path> writeMr(Volume volume, StudyInfo study, CtSeriesSpec spec, Path outDir) throws IOException {
        return write(volume, study, spec, outDir, null, true);
    }

    private List<Path> write(Volume volume, StudyInfo study, CtSeriesSpec spec, Path outDir, List<double[]> positions, boolean mr)
            throws IOException {
        Files.createDirectories(outDir);
        Grid g = volume.grid();
        int plane = g.nx() * g.ny();
        double thickness = spec.sliceThickness() > 0 ? spec.sliceThickness() : g.spacing()[2];
        List<Path> files = new ArrayList<>(g.nz());
        for (int k = 0; k < g.nz(); k++) {
            double[] ipp = positions == null ? g.toPatient(0, 0, k) : positions.get(k);
            AttributeList list = header(g, study, spec, k, thickness, ipp);
            if (mr) mrHeader(list, spec, k);
            short[] stored = new short[plane];
            int base = k * plane;
            for (int p = 0; p < plane; p++) {
                double v = mr ? Math.max(0, Math.rint(volume.voxels()[base + p]))
                        : Math.rint((volume.voxels()[base + p] - spec.rescaleIntercept()) / spec.rescaleSlope());
                stored[p] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
            }
            Path file = outDir.resolve(String.format("slice-%04d.dcm", k));
            try {
                OtherWordAttribute px = new OtherWordAttribute(Dcm.tag("PixelData"));
                px.setValues(stored);
                list.put(px);
                Dcm.writePart10(list, file);
            } catch (DicomException e) {
                throw new IOException("TSR-0235: cannot write " + (mr ? "MR" : "CT") + " slice " + k + ": " + e.getMessage(), e);
            }
            files.add(file);
        }
        return files;
    }

    /** The CT header made an MR image's: SOP class and UIDs, modality, the MR Image module, no HU rescale. */
    private static void mrHeader(AttributeList list, CtSeriesSpec spec, int k) {
        Dcm.put(list, "SOPClassUID", SOPClass.MRImageStorage);
        Dcm.put(list, "SOPInstanceUID", Uids.derive(spec.seriesInstanceUid(), "mr", Integer.toString(k)));
        Dcm.put(list, "Modality", "MR");
        for (String ct : List.of("KVP", "RescaleType", "RescaleIntercept", "RescaleSlope")) list.remove(Dcm.tag(ct));
        Dcm.put(list, "ScanningSequence", "SE");
        Dcm.put(list, "SequenceVariant", "NONE");
        Dcm.put(list, "ScanOptions");
        Dcm.put(list, "MRAcquisitionType", "2D");
        Dcm.put(list, "RepetitionTime");
        Dcm.put(list, "EchoTime");
        Dcm.put(list, "EchoTrainLength");
        Dcm.put(list, "ImagedNucleus", "1H");
        Dcm.put(list, "WindowCenter", "600");
        Dcm.put(list, "WindowWidth", "1200");
    }

    private static AttributeList header(Grid g, StudyInfo study, CtSeriesSpec spec, int k, double thickness, double[] ipp) {
        AttributeList l = new AttributeList();
        String sop = Uids.derive(spec.seriesInstanceUid(), "ct", Integer.toString(k));
        Dcm.put(l, "SOPClassUID", SOPClass.CTImageStorage);
        Dcm.put(l, "SOPInstanceUID", sop);
        StudyModules.put(l, study);
        // General Series
        Dcm.put(l, "Modality", "CT");
        Dcm.put(l, "SeriesInstanceUID", spec.seriesInstanceUid());
        Dcm.put(l, "SeriesNumber", Integer.toString(spec.seriesNumber()));
        if (spec.seriesDescription() != null) Dcm.put(l, "SeriesDescription", spec.seriesDescription());
        if (spec.bodyPartExamined() != null) Dcm.put(l, "BodyPartExamined", spec.bodyPartExamined());
        Dcm.put(l, "PatientPosition", spec.patientPosition() == null ? "HFS" : spec.patientPosition());
        // Frame of Reference, Equipment
        Dcm.put(l, "FrameOfReferenceUID", spec.frameOfReferenceUid());
        Dcm.put(l, "PositionReferenceIndicator");
        Dcm.put(l, "Manufacturer", Dcm.nz(spec.manufacturer()));
        // General Image / Acquisition
        Dcm.put(l, "InstanceNumber", Integer.toString(k + 1));
        Dcm.put(l, "AcquisitionNumber", "1");
        Dcm.put(l, "PatientOrientation");
        Dcm.put(l, "ContentDate", Dcm.nz(study.studyDate()));
        Dcm.put(l, "ContentTime", Dcm.nz(study.studyTime()));
        Dcm.put(l, "ImageType", "ORIGINAL", "PRIMARY", "AXIAL");
        // Image Plane: PixelSpacing is row spacing (between rows, grid j) \ column spacing (between columns, grid i)
        double[] d = g.direction();
        Dcm.put(l, "ImagePositionPatient", Dcm.ds(ipp[0]), Dcm.ds(ipp[1]), Dcm.ds(ipp[2]));
        Dcm.put(l, "ImageOrientationPatient",
                Dcm.ds(d[0]), Dcm.ds(d[1]), Dcm.ds(d[2]), Dcm.ds(d[3]), Dcm.ds(d[4]), Dcm.ds(d[5]));
        Dcm.put(l, "PixelSpacing", Dcm.ds(g.spacing()[1]), Dcm.ds(g.spacing()[0]));
        Dcm.put(l, "SliceThickness", Dcm.ds(thickness));
        double[] n = {d[6], d[7], d[8]};
        Dcm.put(l, "SliceLocation", Dcm.ds(ipp[0] * n[0] + ipp[1] * n[1] + ipp[2] * n[2]));
        // Image Pixel + CT Image
        Dcm.monochrome16(l, g.ny(), g.nx());
        Dcm.put(l, "RescaleIntercept", Dcm.ds(spec.rescaleIntercept()));
        Dcm.put(l, "RescaleSlope", Dcm.ds(spec.rescaleSlope()));
        Dcm.put(l, "RescaleType", "HU");
        Dcm.put(l, "KVP");
        Dcm.put(l, "WindowCenter", "40");
        Dcm.put(l, "WindowWidth", "400");
        return l;
    }
}
