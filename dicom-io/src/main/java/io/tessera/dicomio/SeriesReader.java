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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the files of one series into a {@link SourceSeries}: one volume in patient space with Hounsfield units (for CT),
 * slices sorted along the normal {@code row × column}, spacing derived from positions (not SliceThickness).
 *
 * <p>Two passes keep memory at one volume plus one slice: headers first (stopping before Pixel Data) to check and sort,
 * then each file's pixels are read, rescaled into the volume and dropped. Refusals carry stable codes:
 * TSR-0200 no files, 0201 mixed orientation, 0202 mixed series, 0203 duplicate positions, 0204 uneven spacing,
 * 0205 unreadable or missing geometry, 0206 unsupported pixel encoding, 0207 mixed matrix size or pixel spacing,
 * 0208 a transfer syntax this server cannot decode (checked for every slice before any pixel is read), 0210 gantry tilt.
 *
 * <p>Slices are sorted by position, never by Instance Number, so any order of files is read alike. A multi-frame image
 * (Enhanced CT/MR) is read frame by frame from its functional groups ({@link MultiFrameHeaders}); each frame's
 * {@code SliceRef} carries its frame number. Uneven spacing and gantry tilt are refused or accepted per
 * {@link GeometryPolicy}; accepted frames keep their exact positions in the {@code SliceRef}s while the grid takes the
 * mean gap along the normal, and {@code io.tessera.core.ModelSpace} resamples them onto a regular grid.
 */
public final class SeriesReader {
    /** Allowed deviation of each gap from the mean gap: the larger of 0.01 mm and 1 %. */
    static final double SPACING_TOLERANCE_MM = 0.01;
    static final double SPACING_TOLERANCE_FRACTION = 0.01;
    static final double SAME_POSITION_MM = 1e-3;
    static final double ORIENTATION_TOLERANCE = 1e-4;
    /** In-plane drift of slice origins (fraction of the smallest pixel spacing) above which a stack counts as tilted. */
    static final double TILT_TOLERANCE_PIXELS = 0.1;
    private static final Logger log = LoggerFactory.getLogger(SeriesReader.class);

    private final GeometryPolicy policy;

    /** Strict: uneven spacing and gantry tilt are refused. */
    public SeriesReader() {
        this(GeometryPolicy.strict());
    }

    public SeriesReader(GeometryPolicy policy) {
        this.policy = policy;
    }

    public SourceSeries read(List<Path> files) throws SeriesReadException {
        if (files == null || files.isEmpty()) throw new SeriesReadException("TSR-0200", "no instances given for the series");
        Header[] headers = readHeaders(files);
        AttributeList first = headers[0].attributes();
        List<SliceHeader> slices = new ArrayList<>(files.size());
        java.util.Map<Path, Long> pixelOffsets = new java.util.HashMap<>();
        for (Header h : headers) {
            slices.addAll(h.slices());
            pixelOffsets.put(h.file(), h.pixelOffset());
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
        checkTilt(slices, row, col, ref.pixelSpacing());

        double[] direction = {row[0], row[1], row[2], col[0], col[1], col[2], normal[0], normal[1], normal[2]};
        // Grid spacing is [along a row (column spacing), along a column (row spacing), slice]; DICOM PixelSpacing is row\column.
        Grid grid = new Grid(ref.columns(), ref.rows(), slices.size(), slices.get(0).ipp(),
                new double[] {ref.pixelSpacing()[1], ref.pixelSpacing()[0], spacing}, direction);
        List<SliceRef> refs = new ArrayList<>(slices.size());
        for (SliceHeader s : slices) refs.add(new SliceRef(s.sopClassUid(), s.sopInstanceUid(), s.ippString(), s.file(), s.frame()));
        long[] offsets = slices.stream().mapToLong(s -> s.frame() == 0 && s.bitsAllocated() == 16 ? pixelOffsets.get(s.file()) : -1)
                .toArray();
        Volume volume = java.util.Arrays.stream(offsets).allMatch(o -> o >= 0)
                ? Volume.onDemand(grid, new FileSliceSource(slices, offsets)) // read where and when a model samples it
                : new Volume(grid, readPixels(slices, grid));
        return new SourceSeries(studyInfo(first), ref.seriesInstanceUid(), Dcm.get(first, "Modality"),
                Dcm.get(first, "SeriesDescription"), Dcm.get(first, "SeriesNumber"), Dcm.get(first, "BodyPartExamined"),
                Dcm.get(first, "FrameOfReferenceUID"), Dcm.get(first, "ImageOrientationPatient"),
                Dcm.get(first, "PixelSpacing"), volume, refs);
    }

    /**
     * What the header pass keeps of one file: its attributes up to Pixel Data (the first file's, and any other read
     * with PixelMed; null when only scanned), its slices (frames), the fast path's pixel offset.
     */
    private record Header(Path file, AttributeList attributes, List<SliceHeader> slices, long pixelOffset) {}

    /**
     * Every file's header, in parallel (each file is parsed on its own); the first file (in the order given) that
     * cannot be read is the one reported.
     */
    private static Header[] readHeaders(List<Path> files) throws SeriesReadException {
        Header[] out = new Header[files.size()];
        SeriesReadException[] failed = new SeriesReadException[files.size()];
        java.util.stream.IntStream.range(0, files.size()).parallel().forEach(i -> {
            Path f = files.get(i);
            try {
                // the first file's attributes give the study and series; of the others only the slice is needed
                HeaderReader.Header read = i == 0 ? HeaderReader.read(f, true) : HeaderReader.scan(f);
                AttributeList l = read.attributes();
                if (l == null) {
                    out[i] = new Header(f, null, List.of(read.slice()), read.pixelOffset());
                    return;
                }
                SliceHeader h = SliceHeader.of(f, l);
                boolean multi = MultiFrameHeaders.isMultiFrame(l);
                out[i] = new Header(f, l, multi ? MultiFrameHeaders.frames(h, l) : List.of(h), read.pixelOffset());
            } catch (SeriesReadException e) {
                failed[i] = e;
            }
        });
        for (SeriesReadException e : failed) if (e != null) throw e;
        return out;
    }

    /** The whole volume in memory: for multi-frame, compressed, 8-bit or otherwise laid out files. */
    private static float[] readPixels(List<SliceHeader> slices, Grid grid) throws SeriesReadException {
        float[] voxels = new float[grid.voxelCount()];
        SliceHeader ref = slices.get(0);
        int plane = ref.rows() * ref.columns();
        // single-frame uncompressed slices straight from their files, in parallel (each writes its own plane)
        boolean[] copied = new boolean[slices.size()];
        java.util.stream.IntStream.range(0, slices.size()).parallel().forEach(k -> {
            SliceHeader s = slices.get(k);
            copied[k] = s.frame() == 0 && PixelCopier.copyRaw(s, voxels, k * plane);
        });
        Path cachedFile = null;
        AttributeList cached = null; // a multi-frame file is read once for all its frames
        for (int k = 0; k < slices.size(); k++) {
            SliceHeader s = slices.get(k);
            int offset = k * plane;
            if (s.frame() > 0) {
                if (!s.file().equals(cachedFile)) {
                    cached = readAll(s);
                    cachedFile = s.file();
                }
                PixelCopier.copy(s, cached, voxels, offset, (s.frame() - 1) * plane);
            } else if (!copied[k]) {
                PixelCopier.copy(s, readAll(s), voxels, offset, 0);
            }
        }
        return voxels;
    }

    static StudyInfo studyInfo(AttributeList l) {
        return new StudyInfo(Dcm.get(l, "StudyInstanceUID"), Dcm.get(l, "PatientID"), Dcm.get(l, "PatientName"),
                Dcm.get(l, "PatientBirthDate"), Dcm.get(l, "PatientSex"), Dcm.get(l, "AccessionNumber"),
                Dcm.get(l, "StudyDate"), Dcm.get(l, "StudyTime"), Dcm.get(l, "StudyDescription"), Dcm.get(l, "StudyID"),
                blankToNull(Dcm.get(l, "IssuerOfPatientID")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
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
            if (s.rows() != ref.rows() || s.columns() != ref.columns()) {
                throw new SeriesReadException("TSR-0207", "series mixes image sizes " + ref.rows() + "x" + ref.columns()
                        + " and " + s.rows() + "x" + s.columns());
            }
            if (!close(s.pixelSpacing(), ref.pixelSpacing(), 1e-4)) {
                throw new SeriesReadException("TSR-0207", "series mixes Pixel Spacing values");
            }
        }
    }

    private double sliceSpacing(List<SliceHeader> slices, double[] normal, AttributeList first)
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
                String what = String.format(java.util.Locale.ROOT,
                        "uneven slice spacing: gap %.3f mm between slices %d and %d, mean %.3f mm (missing slices?)",
                        gap, k - 1, k, mean);
                if (!policy.resampleIrregularSpacing()) {
                    throw new SeriesReadException("TSR-0204", what
                            + "; set inference.geometry.irregularSpacing: resample to resample it onto a regular grid");
                }
                log.warn("TSR-0204: {}; resampling onto a regular grid", what);
                break;
            }
        }
        return mean;
    }

    /** Gantry tilt: slice origins drift in-plane, so the stack is sheared rather than a grid along the normal. */
    private void checkTilt(List<SliceHeader> slices, double[] row, double[] col, double[] pixelSpacing)
            throws SeriesReadException {
        double[] o = slices.get(0).ipp();
        double max = 0, alongMax = 0;
        for (SliceHeader s : slices) {
            double[] d = {s.ipp()[0] - o[0], s.ipp()[1] - o[1], s.ipp()[2] - o[2]};
            double inPlane = Math.hypot(dot(d, row), dot(d, col));
            if (inPlane > max) {
                max = inPlane;
                alongMax = Math.abs(dot(d, cross(row, col)));
            }
        }
        double tol = Math.max(SPACING_TOLERANCE_MM, TILT_TOLERANCE_PIXELS * Math.min(pixelSpacing[0], pixelSpacing[1]));
        if (max <= tol) return;
        String what = String.format(java.util.Locale.ROOT,
                "gantry tilt: slice origins drift %.2f mm in-plane over %.1f mm along the normal (%.1f degrees)",
                max, alongMax, Math.toDegrees(Math.atan2(max, alongMax)));
        if (!policy.resampleGantryTilt()) {
            throw new SeriesReadException("TSR-0210", what
                    + "; set inference.geometry.gantryTilt: resample to resample it onto a regular grid");
        }
        log.warn("TSR-0210: {}; resampling onto a regular grid", what);
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static AttributeList readHeader(Path f) throws SeriesReadException {
        return HeaderReader.read(f, false).attributes();
    }

    /** Through PixelMed's file API: for headers that go on past {@link HeaderReader#FIRST_READ} bytes. */
    static AttributeList readHeaderFromFile(Path f) throws SeriesReadException {
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

    static SeriesReadException unreadable(Path f, Exception e) {
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
