package io.tessera.routes;

import io.tessera.dicomio.PromptedRegionReportWriter;
import io.tessera.dicomio.SrInfo;
import io.tessera.dicomio.SrSpec;
import io.tessera.fhir.FhirResultMapper;
import io.tessera.fhir.FhirResultSet;
import io.tessera.fhir.SegReference;

import io.tessera.core.Code;
import io.tessera.core.LabelMap;
import io.tessera.core.ModelIdentity;
import io.tessera.core.SegmentLabel;
import io.tessera.core.Segmentation;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import io.tessera.dicomio.SegInfo;
import io.tessera.dicomio.SegSpec;
import io.tessera.dicomio.SegWriter;
import io.tessera.inference.FrameImage;
import io.tessera.inference.InferenceException;
import io.tessera.inference.LoadedModel;
import io.tessera.inference.Prompt;
import io.tessera.inference.PromptMask;
import io.tessera.inference.PromptableSegmenter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One prompt from a workstation (a box or clicks on one referenced frame, in that frame's pixels) through a promptable
 * model into a DICOM SEG on the source series: one segment, one frame (the prompted one), the model's identity in the
 * algorithm identification and Contributing Equipment, as every Tessera SEG. The encoder runs once per frame (the
 * segmenter caches it by SOP Instance UID and frame number), so a reader refining a box on one slice pays the
 * decoder only.
 *
 * <p>UIDs are derived from (study, series, study version, model, frame, prompt): the same prompt posted twice gives the
 * same SEG, so a retried request never makes a second object. Failures: TSR-0507 the frame is not in the series;
 * model errors (TSR-034x) propagate as {@link InferenceException}.
 */
public final class PromptSegmentation {
    /** The segment's coding: a prompted region is something a reader pointed at, not a named structure. */
    static final SegmentLabel PROMPTED = new SegmentLabel(1, "prompted region",
            Code.sct("49755003", "Morphologically Abnormal Structure"), Code.sct("52988006", "Lesion"), new int[] {255, 200, 0});
    private final LoadedModel model;
    private final PromptableSegmenter segmenter;

    public PromptSegmentation(LoadedModel model) {
        this.model = model;
        this.segmenter = new PromptableSegmenter(model, 16);
    }

    public String modelName() {
        return model.name();
    }

    /**
     * What a prompt made: the SEG's UIDs and file, the model's own IoU estimate, and the mask's size in pixels, in mm²
     * (the frame's pixel spacing: Pixel Spacing, or Imager Pixel Spacing on a radiograph without it) and its longest
     * extent in mm (the largest distance between two of its pixel centres).
     */
    public record Result(String seriesInstanceUid, String sopInstanceUid, Path file, float predictedIou, int pixels,
                         boolean embeddingCached, double areaMm2, double maxDiameterMm, Report report) {}

    /**
     * The prompted region's measurement SR (TID 1500: area, longest diameter, the model and the prompt) and what FHIR
     * needs to say the same; null on a result with an empty mask (nothing to measure).
     */
    public record Report(SliceRef image, SegInfo seg, SrInfo sr, SrSpec spec, Path file, String prompt) {}

    /** Slice k of {@code series} whose image is {@code sopInstanceUid} (frame 1 of a multi-frame image), or -1. */
    public static int sliceOf(SourceSeries series, String sopInstanceUid, int frameNumber) {
        List<SliceRef> slices = series.slices();
        for (int k = 0; k < slices.size(); k++) {
            SliceRef s = slices.get(k);
            if (s.sopInstanceUid().equals(sopInstanceUid) && (s.frameNumber() == 0 || s.frameNumber() == frameNumber)) return k;
        }
        return -1;
    }

    public Result run(SourceSeries series, int k, Prompt prompt, int studyVersion, Path dir) throws IOException, InferenceException {
        checkSlice(series, k);
        SliceRef slice = series.slices().get(k);
        return run(series, k, FrameImage.ofSlice(series.volume(), k, slice.sopInstanceUid() + "/" + slice.frameNumber()), prompt,
                studyVersion, dir);
    }

    /**
     * The same for a frame prepared by the caller: a radiograph's, with its VOI LUT window and MONOCHROME1 already
     * inverted ({@code ProjectionImage}), whose series is that one image.
     */
    public Result run(SourceSeries series, int k, FrameImage frame, Prompt prompt, int studyVersion, Path dir)
            throws IOException, InferenceException {
        checkSlice(series, k);
        SliceRef slice = series.slices().get(k);
        PromptMask m = segmenter.segment(frame, prompt);
        io.tessera.core.Grid g = series.volume().grid();
        byte[] labels = new byte[g.voxelCount()];
        for (int y = 0; y < g.ny(); y++) {
            for (int x = 0; x < g.nx(); x++) if (m.inside(x, y)) labels[g.index(x, y, k)] = 1;
        }
        ModelIdentity id = model.identity();
        SegSpec spec = spec(series, id, studyVersion, slice, prompt);
        io.tessera.core.OwnerOnly.createDirectories(dir);
        Path file = dir.resolve(spec.sopInstanceUid() + ".dcm");
        SegInfo info = new SegWriter().write(new Segmentation(series, new LabelMap(g, labels), List.of(PROMPTED), id), spec, file);
        double sx = g.spacing()[0], sy = g.spacing()[1];
        double area = m.area() * sx * sy;
        double diameter = longestExtentMm(m, g.nx(), g.ny(), sx, sy);
        Report report = null;
        if (m.area() > 0) {
            String words = describe(prompt) + " on frame " + Math.max(1, slice.frameNumber());
            SrSpec srSpec = SrSpec.forPromptedRegion(series, id, Integer.toString(studyVersion), info.seriesInstanceUid());
            Path srFile = dir.resolve(srSpec.sopInstanceUid() + ".dcm");
            SrInfo sr = new PromptedRegionReportWriter().write(series, id, info,
                    new PromptedRegionReportWriter.Region(slice, area, diameter, m.iou(), words), srSpec, srFile);
            report = new Report(slice, info, sr, srSpec, srFile, words);
        }
        return new Result(info.seriesInstanceUid(), info.sopInstanceUid(), file, m.iou(), m.area(), m.embeddingCached(),
                area, diameter, report);
    }

    /**
     * The FHIR result set of a prompted region (Observation with area and longest diameter, DiagnosticReport, Device,
     * ImagingStudy naming the SEG and SR), or empty for an empty mask.
     */
    public java.util.Optional<FhirResultSet> resultSet(FhirResultMapper mapper, SourceSeries series, Result r,
                                                       java.time.Instant issued, int studyVersion) {
        Report rep = r.report();
        if (rep == null) return java.util.Optional.empty();
        SegReference seg = SegReference.segmentation(rep.seg().seriesInstanceUid(), rep.seg().sopInstanceUid(), 902,
                SegSpec.forModel(series, model.identity(), Integer.toString(studyVersion)).seriesDescription());
        SegReference sr = new SegReference(rep.sr().seriesInstanceUid(), rep.sr().sopInstanceUid(), rep.sr().sopClassUid(),
                rep.spec().seriesNumber(), 1, rep.spec().seriesDescription());
        return java.util.Optional.of(mapper.mapPromptedRegion(series, model.identity(), rep.image(),
                PromptedRegionReportWriter.trackingUid(rep.seg()), r.areaMm2(), r.maxDiameterMm(), r.predictedIou(), rep.prompt(),
                seg, sr, issued, studyVersion));
    }

    /** The prompt in words, for the SR's and FHIR's provenance: the box's corners, or each point with include/exclude. */
    static String describe(Prompt p) {
        float[] xy = p.xy();
        if (p.box()) {
            return String.format(java.util.Locale.ROOT, "box %.0f,%.0f to %.0f,%.0f (pixels)", xy[0], xy[1], xy[2], xy[3]);
        }
        StringBuilder b = new StringBuilder("points");
        for (int i = 0; i < p.count(); i++) {
            b.append(String.format(java.util.Locale.ROOT, " %.0f,%.0f %s", xy[2 * i], xy[2 * i + 1],
                    p.labels()[i] == Prompt.INCLUDE ? "in" : "out"));
        }
        return b.append(" (pixels)").toString();
    }

    private static void checkSlice(SourceSeries series, int k) {
        if (k < 0 || k >= series.slices().size()) {
            throw new IllegalArgumentException("TSR-0507: frame " + k + " is not in series of " + series.slices().size() + " slices");
        }
    }

    /**
     * The largest distance between two pixel centres of the mask, in mm: over the pixels on its boundary only (the
     * farthest pair always lies there), so a large mask costs its outline squared, not its area squared.
     */
    static double longestExtentMm(PromptMask m, int nx, int ny, double sx, double sy) {
        List<int[]> edge = new java.util.ArrayList<>();
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                if (!m.inside(x, y)) continue;
                boolean border = x == 0 || y == 0 || x == nx - 1 || y == ny - 1 || !m.inside(x - 1, y) || !m.inside(x + 1, y)
                        || !m.inside(x, y - 1) || !m.inside(x, y + 1);
                if (border) edge.add(new int[] {x, y});
            }
        }
        double best = 0;
        for (int a = 0; a < edge.size(); a++) {
            for (int b = a + 1; b < edge.size(); b++) {
                double dx = (edge.get(a)[0] - edge.get(b)[0]) * sx, dy = (edge.get(a)[1] - edge.get(b)[1]) * sy;
                best = Math.max(best, dx * dx + dy * dy);
            }
        }
        return Math.sqrt(best);
    }

    /** The model's usual SEG identity, with UIDs that also depend on the frame and the prompt. */
    static SegSpec spec(SourceSeries series, ModelIdentity id, int studyVersion, SliceRef slice, Prompt prompt) {
        String promptKey = slice.sopInstanceUid() + "/" + slice.frameNumber() + ":" + java.util.Arrays.toString(prompt.xy())
                + java.util.Arrays.toString(prompt.labels());
        SegSpec base = SegSpec.forModel(series, id, Integer.toString(studyVersion));
        String seriesUid = Uids.derive(base.seriesInstanceUid(), "prompt", promptKey);
        return new SegSpec(seriesUid, Uids.derive(seriesUid, "seg"), 902, base.seriesDescription(), base.manufacturer(),
                base.softwareVersion(), base.deviceUid(), base.deviceSerialNumber(), "PROMPTED", 1, base.contentCreatorName(),
                null);
    }
}
