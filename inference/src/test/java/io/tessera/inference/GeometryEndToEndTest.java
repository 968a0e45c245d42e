package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.core.FrameStack;
import io.tessera.core.LabelMap;
import io.tessera.core.ModelSpace;
import io.tessera.core.Segmentation;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import io.tessera.dicomio.CtSeriesSpec;
import io.tessera.dicomio.EnhancedCtWriter;
import io.tessera.dicomio.GeometryPolicy;
import io.tessera.dicomio.SegReader;
import io.tessera.dicomio.SegSpec;
import io.tessera.dicomio.SegWriter;
import io.tessera.dicomio.SeriesReader;
import io.tessera.testkit.AcquiredStudy;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.phantom.PhantomAcquisition;
import io.tessera.testkit.phantom.PhantomGenerator;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole geometry path with the real reference model (trained on axial phantoms only): a phantom scanned axial,
 * feet-first, sagittal, coronal, oblique, with uneven spacing or gantry tilt, written as DICOM with the files shuffled,
 * read back ({@link SeriesReader}), brought into the model's orientation ({@link ModelSpace}), segmented, mapped back to
 * the source frames, written as a SEG and decoded independently ({@link SegReader}). The SEG must overlay the organ truth
 * sampled at each source pixel (Dice), and each SEG frame must name the source image at its own position.
 */
class GeometryEndToEndTest {
    private static final Path DIR = Path.of("..", "models", "ct-phantom-organs").toAbsolutePath().normalize();
    private static final int LUNG_LEFT = 2, LUNG_RIGHT = 3, LIVER = 5;
    private static ModelRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        assumeTrue(Files.isRegularFile(DIR.resolve("model.onnx")), "reference model not built: " + DIR);
        registry = ModelRegistry.load(List.of(DIR.getParent()), InferenceSettings.cpu());
    }

    @AfterAll
    static void close() {
        if (registry != null) registry.close();
    }

    static Stream<Arguments> acquisitions() {
        double[] axial48 = PhantomAcquisition.even(48, 320.0 / 47);
        return Stream.of(
                Arguments.of("axial", PhantomAcquisition.of(PhantomAcquisition.AXIAL, 0, 96, 96, 4.0, axial48, 0)),
                Arguments.of("axial-feet-first",
                        PhantomAcquisition.of(PhantomAcquisition.AXIAL_FEET_FIRST, 0, 96, 96, 4.0, axial48, 0)),
                Arguments.of("sagittal",
                        PhantomAcquisition.of(PhantomAcquisition.SAGITTAL, 0, 96, 80, 4.0, PhantomAcquisition.even(48, 7.0), 0)),
                Arguments.of("coronal",
                        PhantomAcquisition.of(PhantomAcquisition.CORONAL, 0, 96, 80, 4.0, PhantomAcquisition.even(48, 5.5), 0)),
                Arguments.of("oblique-20",
                        PhantomAcquisition.of(PhantomAcquisition.AXIAL, 20, 96, 96, 4.0, axial48, 0)),
                Arguments.of("uneven-spacing",
                        PhantomAcquisition.of(PhantomAcquisition.AXIAL, 0, 96, 96, 4.0,
                                PhantomAcquisition.alternating(48, 4.5, 9.0), 0)),
                Arguments.of("gantry-tilt-15",
                        PhantomAcquisition.of(PhantomAcquisition.AXIAL, 0, 96, 96, 4.0, axial48, 15)));
    }

    /** The 96×96×80 phantom at 4 mm the tests here segment. */
    private static PhantomSpec phantom(long seed) {
        return new PhantomSpec(seed, 96, 96, 80, 4.0, 4.0, 0, PhantomSpec.DEFAULT_NOISE_HU, 1);
    }

    /** 48 evenly spaced axial slices over the phantom's 320 mm. */
    private static PhantomAcquisition axial48() {
        return PhantomAcquisition.of(PhantomAcquisition.AXIAL, 0, 96, 96, 4.0, PhantomAcquisition.even(48, 320.0 / 47), 0);
    }

    /** The parts worked out while the model still runs (EarlyWork) change nothing in the result. */
    @Test
    void parts_worked_out_while_the_model_runs_give_the_labels_of_working_everything_out_after_it() throws Exception {
        AcquiredStudy study = AcquiredStudy.write(phantom(7), axial48(), "early", dir.resolve("early"));
        SourceSeries source = new SeriesReader(GeometryPolicy.resampling()).read(study.files());
        LoadedModel model = registry.get("ct-phantom-organs").orElseThrow();
        ModelSpace space = ModelSpace.of(source, ModelSpace.Orientation.parse(model.manifest().input().orientation()));
        io.tessera.core.Grid src = space.volume().grid(), low = Resampler.modelGrid(src, model.manifest().input().spacingXyz());
        List<int[]> windows = SlidingWindow.windows(new int[] {low.nz(), low.ny(), low.nx()}, model.manifest().input().patchZyx(),
                model.manifest().input().overlap());
        EarlyWork plan = EarlyWork.plan(windows, model.manifest().input().batch(), low, src);
        assertEquals(List.of(0, 1, 2), plan.parts().stream().map(EarlyWork.Part::axis).toList(), "slices, rows, columns early");

        byte[] early = new Segmenter().segment(model, space.volume()).labels().labels();
        byte[] atTheEnd = new Segmenter(false).segment(model, space.volume()).labels().labels();
        assertArrayEquals(atTheEnd, early);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acquisitions")
    void seg_overlays_the_truth_and_maps_back_to_the_source_frames(String name, PhantomAcquisition acq) throws Exception {
        PhantomSpec spec = phantom(7);
        AcquiredStudy study = AcquiredStudy.write(spec, acq, name, dir.resolve("ct"));
        List<Path> files = new ArrayList<>(study.files());
        Collections.shuffle(files, new Random(42)); // slice order must come from positions, not file order

        long t0 = System.nanoTime();
        SourceSeries source = new SeriesReader(GeometryPolicy.resampling()).read(files);
        LoadedModel model = registry.get("ct-phantom-organs").orElseThrow();
        ModelSpace space = ModelSpace.of(source, ModelSpace.Orientation.parse(model.manifest().input().orientation()));
        SegmentationOutput out = new Segmenter().segment(model, space.volume());
        LabelMap labels = space.toSource(out.labels());
        Segmentation seg = new Segmentation(source, labels, model.modelPackage().labels(), out.model());
        Path segFile = dir.resolve("seg.dcm");
        new SegWriter().write(seg, SegSpec.forModel(source, out.model(), "1"), segFile);
        LabelMap decoded = new SegReader().readOnto(segFile, source, model.modelPackage().labels());
        long ms = (System.nanoTime() - t0) / 1_000_000;

        FrameStack frames = FrameStack.of(source);
        LabelMap truth = PhantomGenerator.organsOn(spec, source.volume().grid(), k -> frames.toPatient(0, 0, k));
        Map<String, Double> dice = new HashMap<>();
        for (int v : new int[] {1, LUNG_LEFT, LUNG_RIGHT, 4, LIVER, 6, 7, 8}) dice.put(label(v), decoded.dice(truth, v));
        System.out.printf("geometry %-16s model grid %s identity=%s: %d ms, Dice %s%n", name, space.grid(),
                space.isIdentity(), ms, dice);
        for (int v : new int[] {LUNG_LEFT, LUNG_RIGHT, LIVER}) {
            assertTrue(decoded.dice(truth, v) >= 0.85, name + ": Dice of " + label(v) + " " + dice);
        }
        assertFramesPointAtTheirSource(segFile, source);
        if (ExternalTool.onPath("dciodvfy") && !name.startsWith("axial")) {
            ExternalTool.Result r = ExternalTool.dciodvfy(segFile);
            assertTrue(r.output().lines().noneMatch(l -> l.startsWith("Error")), name + ":\n" + r.output());
        }
    }

    @Test
    void an_enhanced_ct_multi_frame_segments_alike_and_the_seg_names_each_source_frame() throws Exception {
        PhantomSpec spec = phantom(11);
        PhantomAcquisition acq = axial48();
        AcquiredStudy study = AcquiredStudy.write(spec, acq, "enhanced", dir.resolve("ct"));
        int n = acq.positions().size();
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < n; k++) order.add(k);
        Collections.shuffle(order, new Random(5));
        Path mf = new EnhancedCtWriter().write(study.phantom().ct(), study.study(),
                CtSeriesSpec.of(Uids.derive(study.seriesInstanceUid(), "mf"), Uids.derive(study.seriesInstanceUid(), "for"), "MF"),
                dir.resolve("enhanced.dcm"), order.stream().mapToInt(Integer::intValue).toArray());
        SourceSeries single = new SeriesReader().read(study.files());
        SourceSeries multi = new SeriesReader().read(List.of(mf));
        assertTrue(multi.volume().grid().sameGeometry(single.volume().grid()));
        assertArrayEquals(single.volume().voxels(), multi.volume().voxels());

        LoadedModel model = registry.get("ct-phantom-organs").orElseThrow();
        ModelSpace space = ModelSpace.of(multi, ModelSpace.Orientation.parse(model.manifest().input().orientation()));
        SegmentationOutput out = new Segmenter().segment(model, space.volume());
        Segmentation seg = new Segmentation(multi, space.toSource(out.labels()), model.modelPackage().labels(), out.model());
        Path segFile = dir.resolve("seg.dcm");
        new SegWriter().write(seg, SegSpec.forModel(multi, out.model(), "1"), segFile);
        LabelMap decoded = new SegReader().readOnto(segFile, multi, model.modelPackage().labels());
        FrameStack frames = FrameStack.of(multi);
        LabelMap truth = PhantomGenerator.organsOn(spec, multi.volume().grid(), k -> frames.toPatient(0, 0, k));
        for (int v : new int[] {LUNG_LEFT, LUNG_RIGHT, LIVER}) {
            assertTrue(decoded.dice(truth, v) >= 0.85, "enhanced: Dice of " + label(v) + " " + decoded.dice(truth, v));
        }
        assertFramesPointAtTheirSource(segFile, multi);
        assertTrue(new SegReader().frameReferences(segFile).stream().allMatch(r -> r.sourceFrameNumber() >= 1));
    }

    @Test
    void without_reorientation_the_axial_model_fails_on_a_sagittal_scan() throws Exception {
        PhantomSpec spec = phantom(7);
        PhantomAcquisition acq = PhantomAcquisition.of(PhantomAcquisition.SAGITTAL, 0, 96, 80, 4.0,
                PhantomAcquisition.even(48, 7.0), 0);
        AcquiredStudy study = AcquiredStudy.write(spec, acq, "sagittal-native", dir.resolve("ct"));
        SourceSeries source = new SeriesReader().read(study.files());
        LoadedModel model = registry.get("ct-phantom-organs").orElseThrow();
        ModelSpace native_ = ModelSpace.of(source, ModelSpace.Orientation.NATIVE);
        assertTrue(native_.isIdentity());
        LabelMap labels = native_.toSource(new Segmenter().segment(model, native_.volume()).labels());
        FrameStack frames = FrameStack.of(source);
        LabelMap truth = PhantomGenerator.organsOn(spec, source.volume().grid(), k -> frames.toPatient(0, 0, k));
        System.out.printf("geometry sagittal, model fed in scan axes: Dice liver %.3f, lungs %.3f/%.3f%n",
                labels.dice(truth, LIVER), labels.dice(truth, LUNG_LEFT), labels.dice(truth, LUNG_RIGHT));
        assertTrue(labels.dice(truth, LIVER) < 0.7, "the negative control must fail: liver " + labels.dice(truth, LIVER));
    }

    /** Every SEG frame references a source instance and copies that instance's Image Position (Patient) exactly. */
    static void assertFramesPointAtTheirSource(Path segFile, SourceSeries source) throws Exception {
        Map<String, SliceRef> bySop = new HashMap<>();
        for (SliceRef s : source.slices()) bySop.put(s.sopInstanceUid() + "#" + s.frameNumber(), s);
        List<SegReader.FrameReference> refs = new SegReader().frameReferences(segFile);
        assertTrue(refs.size() > 1, "SEG has frames");
        for (SegReader.FrameReference r : refs) {
            SliceRef s = bySop.get(r.sourceSopInstanceUid() + "#" + r.sourceFrameNumber());
            assertNotNull(s, "SEG frame references an unknown source image " + r);
            assertEquals(s.imagePositionPatient(), r.imagePositionPatient(), "frame position differs from its source's");
        }
    }

    private static String label(int v) {
        return switch (v) {
            case 1 -> "body";
            case 2 -> "lung_left";
            case 3 -> "lung_right";
            case 4 -> "bone";
            case 5 -> "liver";
            case 6 -> "spleen";
            case 7 -> "kidney_left";
            default -> "kidney_right";
        };
    }
}
