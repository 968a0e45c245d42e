package io.tessera.dicomio;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import io.tessera.core.Grid;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.StudyInfo;
import io.tessera.core.Volume;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads the files of one series into a {@link SourceSeries}: one volume in patient space with Hounsfield units (for CT),
 * slices sorted along the normal {@code row × column}, spacing derived from positions (not SliceThickness).
 *
 * <p>Two passes keep memory at one volume plus one slice: headers first (stopping before Pixel Data) to check and sort,
 * then each file's pixels are read, rescaled into the volume and dropped. Refusals carry stable codes:
 * TSR-0200 no files, 0201 mixed orientation, 0202 mixed series, 0203 duplicate positions, 0204 uneven spacing,
 * 0205 unreadable or missing geometry, 0206 unsupported pixel encoding, 0207 mixed matrix size or pixel spacing,
 * 0208 a transfer syntax this server cannot decode (checked for every slice before any pixel is read).
 */
public final class SeriesReader {
    /** Allowed deviation of each gap from the mean gap: the larger of 0.01 mm and 1 %. */
    static final double SPACING_TOLERANCE_MM = 0.01;
    static final double SPACING_TOLERANCE_FRACTION = 0.01;
    static final double SAME_POSITION_MM = 1e-3;
    static final double ORIENTATION_TOLERANCE = 1e-4;

    public SourceSeries read(List<Path> files) throws SeriesReadException {
        if (files == null || files.isEmpty()) throw new SeriesReadException("TSR-0200", "no instances given for the series");
        AttributeList first = null;
        List<SliceHeader> slices = new ArrayList<>(files.size());
        for (Path f : files) {
            AttributeList l = readHeader(f);
            if (first == null) first = l;
            slices.add(SliceHeader.of(f, l));
        }
        SliceHeader ref = slices.get(0);
        checkConsistent(slices, ref);
        checkDecodable(slices);
        double[] iop = ref.iop();
        double[] row = unit(iop[0], iop[1], iop[2]);
        double[] col = unit(iop[3], iop[4], iop[5]);
        double[] normal = cross(row, col);
        slices.sort(Comparator.comparingDouble(s -> s.along(normal)));
        double spacing = sliceSpacing(slices, normal, first);

        double[] direction = {row[0], row[1], row[2], col[0], col[1], col[2], normal[0], normal[1], normal[2]};
        // Grid spacing is [along a row (column spacing), along a column (row spacing), slice]; DICOM PixelSpacing is row\column.
        Grid grid = new Grid(ref.columns(), ref.rows(), slices.size(), slices.get(0).ipp(),
                new double[] {ref.pixelSpacing()[1], ref.pixelSpacing()[0], spacing}, direction);
        float[] voxels = new float[grid.voxelCount()];
        List<SliceRef> refs = new ArrayList<>(slices.size());
        for (int k = 0; k < slices.size(); k++) {
            SliceHeader s = slices.get(k);
            int offset = k * ref.rows() * ref.columns();
            if (!PixelCopier.copyRaw(s, voxels, offset)) PixelCopier.copy(s, readAll(s), voxels, offset);
            refs.add(new SliceRef(s.sopClassUid(), s.sopInstanceUid(), s.ippString(), s.file()));
        }
        return new SourceSeries(studyInfo(first), ref.seriesInstanceUid(), Dcm.get(first, "Modality"),
                Dcm.get(first, "SeriesDescription"), Dcm.get(first, "SeriesNumber"), Dcm.get(first, "BodyPartExamined"),
                Dcm.get(first, "FrameOfReferenceUID"), Dcm.get(first, "ImageOrientationPatient"),
                Dcm.get(first, "PixelSpacing"), new Volume(grid, voxels), refs);
    }

    static StudyInfo studyInfo(AttributeList l) {
        return new StudyInfo(Dcm.get(l, "StudyInstanceUID"), Dcm.get(l, "PatientID"), Dcm.get(l, "PatientName"),
                Dcm.get(l, "PatientBirthDate"), Dcm.get(l, "PatientSex"), Dcm.get(l, "AccessionNumber"),
                Dcm.get(l, "StudyDate"), Dcm.get(l, "StudyTime"), Dcm.get(l, "StudyDescription"), Dcm.get(l, "StudyID"));
    }

    private static void checkConsistent(List<SliceHeader> slices, SliceHeader ref) throws SeriesReadException {
        List<String> series = new ArrayList<>();
        List<double[]> orientations = new ArrayList<>();
        orientations.add(ref.iop());
        for (SliceHeader s : slices) {
            if (!series.contains(s.seriesInstanceUid())) series.add(s.seriesInstanceUid());
            if (orientations.stream().noneMatch(o -> close(o, s.iop(), ORIENTATION_TOLERANCE))) orientations.add(s.iop());
        }
        if (series.size() > 1) {
            throw new SeriesReadException("TSR-0202", "instances belong to " + series.size()
                    + " different series; read one series at a time");
        }
        if (orientations.size() > 1) {
            throw new SeriesReadException("TSR-0201", "series has " + orientations.size()
                    + " different Image Orientation (Patient) values; it is not one volume (localizer or multi-stack series?)");
        }
        for (SliceHeader s : slices) {
            if (s.numberOfFrames() != 1) {
                throw new SeriesReadException("TSR-0206", "instance " + s.file().getFileName() + " has " + s.numberOfFrames()
                        + " frames; only single-frame image series are supported");
            }
            if (s.rows() != ref.rows() || s.columns() != ref.columns()) {
                throw new SeriesReadException("TSR-0207", "series mixes image sizes " + ref.rows() + "x" + ref.columns()
                        + " and " + s.rows() + "x" + s.columns());
            }
            if (!close(s.pixelSpacing(), ref.pixelSpacing(), 1e-4)) {
                throw new SeriesReadException("TSR-0207", "series mixes Pixel Spacing values");
            }
        }
    }

    private static double sliceSpacing(List<SliceHeader> slices, double[] normal, AttributeList first)
            throws SeriesReadException {
        int n = slices.size();
        if (n == 1) {
            double t = parseOr(Dcm.get(first, "SpacingBetweenSlices"), parseOr(Dcm.get(first, "SliceThickness"), 1.0));
            return t > 0 ? t : 1.0;
        }
        for (int k = 1; k < n; k++) {
            if (slices.get(k).along(normal) - slices.get(k - 1).along(normal) < SAME_POSITION_MM) {
                throw new SeriesReadException("TSR-0203", "two instances share slice position " + slices.get(k).ippString()
                        + " (duplicates or several acquisitions in one series)");
            }
        }
        double mean = (slices.get(n - 1).along(normal) - slices.get(0).along(normal)) / (n - 1);
        double tol = Math.max(SPACING_TOLERANCE_MM, SPACING_TOLERANCE_FRACTION * mean);
        for (int k = 1; k < n; k++) {
            double gap = slices.get(k).along(normal) - slices.get(k - 1).along(normal);
            if (Math.abs(gap - mean) > tol) {
                throw new SeriesReadException("TSR-0204", String.format(
                        "uneven slice spacing: gap %.3f mm between slices %d and %d, mean %.3f mm (missing slices?)",
                        gap, k - 1, k, mean));
            }
        }
        return mean;
    }

    static AttributeList readHeader(Path f) throws SeriesReadException {
        AttributeList l = new AttributeList();
        try {
            l.read(f.toFile(), Dcm.tag("PixelData"));
            return l;
        } catch (IOException | DicomException | RuntimeException e) {
            throw unreadable(f, e);
        }
    }

    private static void checkDecodable(List<SliceHeader> slices) throws SeriesReadException {
        for (SliceHeader s : slices) {
            if (!PixelDecoders.canDecode(s.transferSyntax())) {
                throw PixelDecoders.undecodable(s.file().getFileName().toString(), s.transferSyntax(), null);
            }
        }
    }

    private static AttributeList readAll(SliceHeader s) throws SeriesReadException {
        Path f = s.file();
        AttributeList l = new AttributeList();
        try {
            l.read(f.toFile());
            return l;
        } catch (IOException | DicomException | RuntimeException e) {
            if (PixelDecoders.compressed(s.transferSyntax())) {
                // the header was readable in the first pass: what failed is the codec (e.g. 12-bit JPEG extended)
                throw PixelDecoders.undecodable(f.getFileName().toString(), s.transferSyntax(), e.getMessage());
            }
            throw unreadable(f, e);
        }
    }

    private static SeriesReadException unreadable(Path f, Exception e) {
        return new SeriesReadException("TSR-0205", "cannot read " + f.getFileName() + " as DICOM: " + e.getMessage(), e);
    }

    private static double parseOr(String s, double dflt) {
        try {
            return s.isEmpty() ? dflt : Double.parseDouble(s.split("\\\\")[0]);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    static boolean close(double[] a, double[] b, double tol) {
        for (int i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > tol) return false;
        return true;
    }

    private static double[] unit(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / n, y / n, z / n};
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

}
