package io.tessera.demo;

import io.tessera.app.Main;
import io.tessera.app.TesseraServer;

import io.tessera.config.ConfigLoader;
import io.tessera.config.TesseraConfig;
import io.tessera.core.JobState;
import io.tessera.core.LabelMap;
import io.tessera.core.SourceSeries;
import io.tessera.dicomio.DicomHeaders;
import io.tessera.dicomio.MeasurementReportReader;
import io.tessera.dicomio.SegReader;
import io.tessera.dicomio.SrMeasurementGroup;
import io.tessera.dicomio.SeriesReader;
import io.tessera.dicomio.StoreReport;
import io.tessera.dicomio.StoreScu;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.FreePorts;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.Lesion;
import io.tessera.testkit.phantom.PhantomLabels;
import io.tessera.testkit.phantom.PhantomSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tessera demo}: the main job on embedded defaults. Starts Tessera, makes a synthetic CT study with known
 * anatomy, sends it by C-STORE, waits for the results and prints what came out and where, then stops everything.
 * Its radiology report goes in first over REST, so the findings are grounded as soon as the images are processed.
 * Exit code 0 only when the organ SEG, the grounding SEG and the SR were written, the SEG decodes, and the FHIR
 * DiagnosticReport is served.
 *
 * <p>It lives in a module of its own because it needs testkit's phantoms at run time, which the server must not carry;
 * its {@link #main} is the whole {@code tessera} command line with {@code demo} added.
 */
@Command(name = "demo", description = "Start Tessera, send a synthetic CT study and its report through the whole path, "
        + "print the results, stop.")
public final class Demo implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "WORK_DIR", defaultValue = ".tessera/demo",
            description = "Where the configuration, the study and the results go; emptied first (default: ${DEFAULT-VALUE}).")
    Path workArg;

    private Path work;

    public static void main(String[] args) throws Exception {
        Main.launch(args, cl -> cl.addSubcommand(new Demo()));
    }

    @Override
    public Integer call() throws Exception {
        work = workArg.toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        Path configFile = work.resolve("tessera.yaml");
        Files.writeString(configFile, """
                # Written by `tessera demo`; reuse it with: ./tessera serve --config %1$s
                dicom: { aeTitle: TESSERA, bindAddress: 127.0.0.1, port: %2$d }
                storage: { dir: %3$s }
                completion: { quietPeriod: 2s }
                http: { bindAddress: 127.0.0.1, port: %4$d }
                models: { dirs: [%5$s] }
                destinations:
                  - { name: results, type: folder, path: %6$s }
                routes:
                  - { name: ct-organs, match: { modality: CT }, models: [ct-phantom-organs], destinations: [results] }
                """.formatted(configFile, FreePorts.next(), work.resolve("var"), FreePorts.next(), Path.of("models").toAbsolutePath(),
                work.resolve("results")));
        TesseraConfig config = new ConfigLoader().load(configFile, Map.of(), List.of());

        System.out.println("Generating a synthetic CT study (phantom, seed 42) ...");
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(42).withLesionCount(2), work.resolve("study"));
        try (TesseraServer server = TesseraServer.start(config)) {
            System.out.printf("Tessera is up: DICOM TESSERA@127.0.0.1:%d, HTTP %s%n", server.dicomPort(), server.httpBaseUrl());
            int posted = postReport(server, study);
            if (posted != 202) return fail("POST /api/reports answered " + posted);
            System.out.println("Posted the study's radiology report to /api/reports (REST; HL7 ORU over MLLP and FHIR work too)");
            long t0 = System.nanoTime();
            StoreReport sent = new StoreScu().send("127.0.0.1", server.dicomPort(), "DEMO-CT", "TESSERA", study.files());
            System.out.printf("Sent %d of %d CT images by C-STORE in %.1f s; waiting for completion (quiet period 2 s) and the model ...%n",
                    sent.storedCount(), study.files().size(), (System.nanoTime() - t0) / 1e9);
            if (!sent.allStored()) return fail("not every instance was stored: " + sent.failures());
            StudyRecord rec = server.awaitFinal(study.study().studyInstanceUid(), Duration.ofMinutes(5));
            if (rec.state() != JobState.DONE) return fail("study ended " + rec.state() + ": " + rec.failureReason().orElse("?"));
            return report(server, study, rec);
        }
    }

    private int report(TesseraServer server, PhantomStudy study, StudyRecord rec) throws Exception {
        Path resultDir = work.resolve("results").resolve(study.study().studyInstanceUid());
        List<Path> segs;
        try (Stream<Path> s = Files.list(resultDir)) {
            segs = s.filter(p -> p.toString().endsWith(".dcm")).toList();
        }
        Path organSeg = null, groundingSeg = null, sr = null;
        for (Path f : segs) {
            Map<String, String> h = DicomHeaders.read(f);
            if ("SR".equals(h.get("Modality"))) sr = f;
            else if ("902".equals(h.get("SeriesNumber"))) groundingSeg = f;
            else organSeg = f;
        }
        if (organSeg == null || groundingSeg == null || sr == null) {
            return fail("expected the organ SEG, the grounding SEG and the SR in " + resultDir + ", found " + segs);
        }
        SourceSeries source = new SeriesReader().read(study.files());
        SegReader reader = new SegReader();
        LabelMap found = reader.readOnto(organSeg, source);
        LabelMap truth = study.phantom().organs();
        double voxelMl = truth.grid().voxelVolumeMl();
        long[] fh = found.histogram(), th = truth.histogram();
        System.out.println();
        System.out.printf("%-14s %12s %12s %8s%n", "segment", "Tessera mL", "phantom mL", "Dice");
        for (int v = 1; v < PhantomLabels.NAMES.size(); v++) {
            System.out.printf("%-14s %12.1f %12.1f %8.3f%n", PhantomLabels.name(v), fh[v] * voxelMl, th[v] * voxelMl, found.dice(truth, v));
        }
        System.out.println();
        System.out.println("Report findings grounded in the image (TID 1500 SR, read back), next to the phantom's lesions:");
        System.out.printf("%-58s %10s %10s%n", "finding (tracking ID)", "diam. mm", "volume mL");
        for (SrMeasurementGroup g : MeasurementReportReader.groups(sr)) {
            if (g.trackingUid() == null || Double.isNaN(g.maxDiameterMm())) continue;
            if (g.segmentSopInstanceUid() != null && g.segmentSopInstanceUid().equals(DicomHeaders.read(organSeg).get("SOPInstanceUID"))) continue;
            System.out.printf("%-58s %10.1f %10.2f%n", g.trackingId(), g.maxDiameterMm(), g.volumeMl());
        }
        for (Lesion l : study.phantom().lesions()) {
            System.out.printf("  phantom lesion %d: %s %s, %.1f mm%n", l.index(), l.location(), l.organ(), l.diameterMm());
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String search = server.httpBaseUrl() + "/fhir/DiagnosticReport?status=preliminary";
        HttpResponse<String> bundle = http.send(HttpRequest.newBuilder(URI.create(search)).GET().build(), HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"fullUrl\"\\s*:\\s*\"([^\"]*DiagnosticReport/[^\"]+)\"").matcher(bundle.body());
        if (bundle.statusCode() != 200 || !m.find()) return fail("FHIR search " + search + " gave no DiagnosticReport: " + bundle.statusCode());
        String reportUrl = m.group(1);
        HttpResponse<String> report = http.send(HttpRequest.newBuilder(URI.create(reportUrl)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (report.statusCode() != 200) return fail("GET " + reportUrl + " answered " + report.statusCode());
        System.out.println();
        System.out.println("SEG written to:            " + organSeg);
        System.out.println("Grounding SEG:             " + groundingSeg);
        System.out.println("Measurement report (SR):   " + sr);
        System.out.println("FHIR DiagnosticReport:     " + reportUrl);
        Path keyImages = work.resolve("key-images");
        System.out.println("Key image (organ SEG):     " + keyImage(study, organSeg, keyImages.resolve("organs.png")));
        System.out.println("Key image (grounding SEG): " + keyImage(study, groundingSeg, keyImages.resolve("findings.png")));
        System.out.println("Study status:              " + server.httpBaseUrl() + "/api/studies");
        System.out.println("Stage timings (ms):        " + rec.stageMillis());
        System.out.println("The server stops now; browse the same results with: ./tessera serve --config " + work.resolve("tessera.yaml"));
        return 0;
    }

    /**
     * The SEG's outlines over its busiest source slice, as the console's study page shows them: a picture of the
     * result to look at before trusting the table above.
     */
    private static Path keyImage(PhantomStudy study, Path seg, Path png) throws Exception {
        Files.createDirectories(png.getParent());
        try (java.io.OutputStream out = Files.newOutputStream(png)) {
            io.tessera.dicomio.KeyImageRenderer.render(study.files(), seg).writePng(out);
        }
        return png;
    }

    private static int postReport(TesseraServer server, PhantomStudy study) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String body = json.writeValueAsString(Map.of("accessionNumber", study.study().accessionNumber(),
                "text", study.phantom().reportText()));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create(server.httpBaseUrl() + "/api/reports"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static int fail(String why) {
        System.err.println("DEMO FAILED: " + why);
        return 1;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
