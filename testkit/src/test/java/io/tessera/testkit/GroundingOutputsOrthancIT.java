package io.tessera.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.dicomio.StoreReport;
import io.tessera.dicomio.StoreScu;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grounding SEG and the measurement SR of a phantom study pass dciodvfy, and a real Orthanc files them, with the
 * CT and the organ SEG, under the one source study (a changed Patient ID would make it a second study).
 */
class GroundingOutputsOrthancIT {
    @TempDir Path dir;

    @Test
    void orthanc_files_the_grounding_seg_and_the_sr_under_the_source_study() throws Exception {
        GroundingPhantom p = GroundingPhantom.write(23, dir.resolve("out"));
        for (Path f : List.of(p.groundingSeg(), p.sr())) {
            ExternalTool.Result r = ExternalTool.dciodvfy(f);
            assertTrue(r.output().lines().noneMatch(l -> l.startsWith("Error")), () -> f.getFileName() + ":\n" + r.output());
        }
        try (OrthancPeer orthanc = OrthancPeer.start(dir.resolve("orthanc"), null)) {
            List<Path> files = new ArrayList<>(p.study().files());
            files.addAll(List.of(p.organSeg(), p.groundingSeg(), p.sr()));
            StoreReport report = new StoreScu().send("127.0.0.1", orthanc.dicomPort(), "TESSERA", OrthancPeer.AE_TITLE, files);
            assertTrue(report.allStored(), () -> report.failures().toString());

            String studyUid = p.study().study().studyInstanceUid();
            String studies = orthanc.findStudy(studyUid);
            assertEquals(1, count(studies, "\"Type\" : \"Study\""), studies);
            String seg = orthanc.findSeries(studyUid, "SEG");
            assertTrue(seg.contains(p.groundingInfo().seriesInstanceUid()), seg);
            assertTrue(seg.contains(p.organInfo().seriesInstanceUid()), seg);
            assertTrue(seg.contains("AI grounded report findings - not for clinical use"), seg);
            String sr = orthanc.findSeries(studyUid, "SR");
            assertTrue(sr.contains(p.srInfo().seriesInstanceUid()), sr);
            assertEquals(1, count(sr, "\"Type\" : \"Series\""), sr);
            String instances = orthanc.get("/studies/" + id(studies) + "/instances").body();
            assertEquals(files.size(), count(instances, "\"Type\" : \"Instance\""), "every file under the one study");
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    /** The Orthanc ID of the single study in a /tools/find answer. */
    private static String id(String expandedStudies) {
        int i = expandedStudies.indexOf("\"ID\" : \"");
        return expandedStudies.substring(i + 8, expandedStudies.indexOf('"', i + 8));
    }
}
