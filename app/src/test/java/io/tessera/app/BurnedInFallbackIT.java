package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.JobState;
import io.tessera.core.Uids;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.FreePorts;
import io.tessera.testkit.OrthancPeer;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination with {@code burnedInFallback} gets the SEG and a Secondary Capture series with the outlines burned
 * in, both filed by a real Orthanc under the source study; a destination without it gets the SEG only.
 */
class BurnedInFallbackIT {
    private static final String MODEL = "ct-phantom-organs";
    @TempDir Path work;
    TesseraServer tessera;
    OrthancPeer withFallback;
    OrthancPeer segOnly;

    @AfterEach
    void stop() throws Exception {
        ServerConfig.stop(tessera, withFallback, segOnly);
    }

    @Test
    void a_destination_with_the_fallback_gets_the_seg_and_one_burned_in_image_per_slice_with_a_segment() throws Exception {
        int fallbackPort = FreePorts.next();
        int segOnlyPort = FreePorts.next();
        withFallback = OrthancPeer.start(work.resolve("orthanc-sc"), "ORTHANC", fallbackPort, false);
        segOnly = OrthancPeer.start(work.resolve("orthanc-seg"), "ORTHANC", segOnlyPort, false);
        ServerConfig config = ServerConfig.in(work).quietPeriod("500ms")
                .dicom("old-pacs", "ORTHANC", fallbackPort, "burnedInFallback: true").dicom("new-pacs", "ORTHANC", segOnlyPort)
                .ctRoute(MODEL, "old-pacs", "new-pacs");
        tessera = config.start();
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(4701).withLesionCount(1), work.resolve("study"));
        String uid = study.study().studyInstanceUid();
        ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "STORESCU", "TESSERA", study.files());
        assertEquals(0, sent.exitCode(), sent.output());
        StudyRecord done = tessera.awaitFinal(uid, Duration.ofMinutes(2));
        assertEquals(JobState.DONE, done.state(), () -> "reason: " + done.failureReason().orElse(""));

        String segSeries = Uids.derive(uid, study.seriesInstanceUid(), "1", MODEL, CommittedModels.version(MODEL), "seg-series");
        String segSop = Uids.derive(segSeries, "seg");
        List<Path> written;
        try (Stream<Path> s = Files.list(work.resolve("var/results").resolve(uid).resolve("sc-" + segSop))) {
            written = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        // independently of the writer: the slices on which the SEG, decoded back onto the source, has any label
        io.tessera.core.SourceSeries source = new io.tessera.dicomio.SeriesReader().read(study.files());
        io.tessera.core.LabelMap labels = new io.tessera.dicomio.SegReader().readOnto(
                work.resolve("var/results").resolve(uid).resolve(segSop + ".dcm"), source);
        int slicesWithSegment = 0;
        for (int k = 0; k < labels.grid().nz(); k++) {
            boolean any = false;
            for (int j = 0; j < labels.grid().ny() && !any; j++)
                for (int i = 0; i < labels.grid().nx() && !any; i++) any = labels.get(i, j, k) != 0;
            if (any) slicesWithSegment++;
        }
        assertEquals(slicesWithSegment, written.size(), "one image per slice with a segment");
        ExternalTool.Result vfy = ExternalTool.dciodvfy(written.get(written.size() / 2));
        assertTrue(vfy.output().lines().noneMatch(l -> l.startsWith("Error")), vfy.output());

        JsonNode series = OutboxIT.JSON.readTree(withFallback.post("/tools/find",
                "{\"Level\":\"Series\",\"Expand\":true,\"Query\":{\"StudyInstanceUID\":\"" + uid + "\"}}").body());
        assertEquals(2, series.size(), "SEG and SC series: " + series);
        Set<String> studies = new HashSet<>();
        JsonNode sc = null;
        for (JsonNode s : series) {
            studies.add(s.path("ParentStudy").asText());
            if (s.path("MainDicomTags").path("Modality").asText().equals("OT")) sc = s;
        }
        assertEquals(1, studies.size(), "both filed under the one source study");
        assertEquals(1, OrthancSegs.count(withFallback, uid));
        assertTrue(sc != null, series.toString());
        assertEquals(written.size(), sc.path("Instances").size(), "every burned-in image stored once");
        assertTrue(sc.path("MainDicomTags").path("SeriesDescription").asText().contains("NOT FOR CLINICAL USE"), sc.toString());
        String instance = sc.path("Instances").get(0).asText();
        JsonNode tags = OutboxIT.JSON.readTree(withFallback.get("/instances/" + instance + "/simplified-tags").body());
        assertEquals("DERIVED\\SECONDARY", tags.path("ImageType").asText());
        assertEquals("YES", tags.path("BurnedInAnnotation").asText());
        String referenced = tags.path("SourceImageSequence").get(0).path("ReferencedSOPInstanceUID").asText();
        assertTrue(study.files().stream().anyMatch(f -> {
            try {
                return io.tessera.dicomio.DicomHeaders.read(f).get("SOPInstanceUID").equals(referenced);
            } catch (Exception e) {
                return false;
            }
        }), "the SC references a source slice: " + referenced);
        byte[] png = withFallback.getBytes("/instances/" + instance + "/preview");
        assertTrue(png.length > 100, "Orthanc renders the SC");
        Files.write(work.resolve("sc-preview.png"), png);

        JsonNode plain = OutboxIT.JSON.readTree(segOnly.post("/tools/find",
                "{\"Level\":\"Series\",\"Query\":{\"StudyInstanceUID\":\"" + uid + "\"}}").body());
        assertEquals(1, plain.size(), "the destination without the fallback gets the SEG only: " + plain);
        assertEquals(1, OrthancSegs.count(segOnly, uid));
    }
}
