package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.config.ConfigLoader;
import io.tessera.core.FrameStack;
import io.tessera.core.JobState;
import io.tessera.core.LabelMap;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import io.tessera.dicomio.CtSeriesSpec;
import io.tessera.dicomio.EnhancedCtWriter;
import io.tessera.dicomio.GeometryPolicy;
import io.tessera.dicomio.SegReader;
import io.tessera.dicomio.SeriesReader;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.AcquiredStudy;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.phantom.PhantomAcquisition;
import io.tessera.testkit.phantom.PhantomGenerator;
import io.tessera.testkit.phantom.PhantomLabels;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Geometry through the running server (listener, routes, JobRunner, default {@code inference.geometry}): a sagittal
 * scan, a gantry-tilted scan and an Enhanced CT multi-frame are sent by storescu and each SEG in the folder destination
 * overlays the truth at the source frames. A second server configured to refuse tilt fails that study with TSR-0210.
 */
class GeometryIT {
    @TempDir
    static Path work;
    static TesseraServer tessera;
    static final PhantomSpec SPEC = new PhantomSpec(21, 96, 96, 80, 4.0, 4.0, 0, PhantomSpec.DEFAULT_NOISE_HU, 1);

    @BeforeAll
    static void start() throws Exception {
        tessera = TesseraServer.start(new ConfigLoader().load(config("a", ""), Map.of(), List.of()));
    }

    @AfterAll
    static void stop() {
        if (tessera != null) tessera.close();
    }

    static Path config(String name, String inference) throws Exception {
        ServerConfig config = ServerConfig.in(work).file(work.resolve(name + ".yaml")).storage(work.resolve(name + "-var"))
                .folder("results", work.resolve(name + "-results"))
                // rules with models take axial series only unless they list other planes; this one is about sagittal scans
                .route("name: ct-organs, match: { modality: CT, planes: [axial, sagittal] }, models: [ct-phantom-organs],"
                        + " destinations: [results]");
        if (!inference.isEmpty()) config.section(inference);
        return config.write();
    }

    @Test
    void a_sagittal_scan_is_segmented_in_the_models_orientation_and_mapped_back() throws Exception {
        AcquiredStudy s = AcquiredStudy.write(SPEC, PhantomAcquisition.of(PhantomAcquisition.SAGITTAL, 0, 96, 80, 4.0,
                PhantomAcquisition.even(48, 7.0), 0), "it-sagittal", work.resolve("sagittal"));
        assertOverlays(send(tessera, s.study().studyInstanceUid(), s.files()), s.files(), "a");
    }

    @Test
    void a_gantry_tilted_scan_is_resampled_by_default_and_mapped_back() throws Exception {
        AcquiredStudy s = AcquiredStudy.write(SPEC, PhantomAcquisition.of(PhantomAcquisition.AXIAL, 0, 96, 96, 4.0,
                PhantomAcquisition.even(48, 320.0 / 47), 12), "it-tilt", work.resolve("tilt"));
        assertOverlays(send(tessera, s.study().studyInstanceUid(), s.files()), s.files(), "a");
    }

    @Test
    void an_enhanced_ct_multi_frame_is_segmented_and_mapped_back_to_its_frames() throws Exception {
        AcquiredStudy s = AcquiredStudy.write(SPEC, PhantomAcquisition.of(PhantomAcquisition.AXIAL, 0, 96, 96, 4.0,
                PhantomAcquisition.even(48, 320.0 / 47), 0), "it-enhanced", work.resolve("enhanced-src"));
        Path mf = new EnhancedCtWriter().write(s.phantom().ct(), s.study(),
                CtSeriesSpec.of(Uids.derive(s.seriesInstanceUid(), "mf"), Uids.derive(s.seriesInstanceUid(), "for"), "MF"),
                work.resolve("enhanced").resolve("mf.dcm"), EnhancedCtWriter.inOrder(48));
        assertOverlays(send(tessera, s.study().studyInstanceUid(), List.of(mf)), List.of(mf), "a");
        Path seg = segOf(s.study().studyInstanceUid(), "a");
        assertTrue(new SegReader().frameReferences(seg).stream().allMatch(r -> r.sourceFrameNumber() >= 1),
                "every SEG frame names its source frame");
    }

    @Test
    void a_server_configured_to_refuse_tilt_fails_the_study_with_the_reason() throws Exception {
        AcquiredStudy s = AcquiredStudy.write(SPEC, PhantomAcquisition.of(PhantomAcquisition.AXIAL, 0, 96, 96, 4.0,
                PhantomAcquisition.even(24, 12), 20), "it-refuse", work.resolve("refuse"));
        try (TesseraServer strict = TesseraServer.start(new ConfigLoader().load(
                config("b", "inference: { geometry: { gantryTilt: refuse } }"), Map.of(), List.of()))) {
            ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", strict.dicomPort(), "STORESCU", "TESSERA", s.files());
            assertEquals(0, sent.exitCode(), sent.output());
            StudyRecord r = strict.awaitFinal(s.study().studyInstanceUid(), Duration.ofMinutes(3));
            assertEquals(JobState.FAILED, r.state());
            assertTrue(r.failureReason().orElse("").contains("TSR-0210"), r.failureReason().orElse(""));
        }
    }

    private static StudyRecord send(TesseraServer server, String studyUid, List<Path> files) throws Exception {
        ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", server.dicomPort(), "STORESCU", "TESSERA", files);
        assertEquals(0, sent.exitCode(), sent.output());
        StudyRecord done = server.awaitFinal(studyUid, Duration.ofMinutes(3));
        assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failureReason().orElse(""));
        return done;
    }

    private static Path segOf(String studyUid, String server) throws Exception {
        try (Stream<Path> s = Files.list(work.resolve(server + "-results").resolve(studyUid))) {
            List<Path> segs = s.filter(p -> p.toString().endsWith(".dcm")).toList();
            assertEquals(1, segs.size(), "one SEG in the folder destination");
            return segs.get(0);
        }
    }

    private static void assertOverlays(StudyRecord done, List<Path> files, String server) throws Exception {
        SourceSeries source = new SeriesReader(GeometryPolicy.resampling()).read(files);
        LabelMap found = new SegReader().readOnto(segOf(done.studyUid(), server), source);
        FrameStack frames = FrameStack.of(source);
        LabelMap truth = PhantomGenerator.organsOn(SPEC, source.volume().grid(), k -> frames.toPatient(0, 0, k));
        for (String organ : List.of("lung_left", "lung_right", "liver")) {
            int v = PhantomLabels.value(organ);
            assertTrue(found.dice(truth, v) >= 0.85, organ + " Dice " + found.dice(truth, v));
        }
        ExternalTool.Result r = ExternalTool.dciodvfy(segOf(done.studyUid(), server));
        assertTrue(r.output().lines().noneMatch(l -> l.startsWith("Error")), r.output());
    }
}
