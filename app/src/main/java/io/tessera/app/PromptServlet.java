package io.tessera.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.SourceSeries;
import io.tessera.dicomio.SeriesReader;
import io.tessera.inference.InferenceException;
import io.tessera.inference.LoadedModel;
import io.tessera.inference.ModelManifest;
import io.tessera.inference.ModelRegistry;
import io.tessera.listener.InstanceRecord;
import io.tessera.listener.StudyIndex;
import io.tessera.listener.StudyRecord;
import io.tessera.routes.PromptSegmentation;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /api/studies/{uid}/prompts} ({@link PromptRequest}): a workstation's box or clicks on one frame of a
 * received series, run through a loaded promptable model; the mask is written as a DICOM SEG and its area (mm²) and
 * longest diameter (mm) as a TID 1500 SR into the study's results, the FHIR Observation and DiagnosticReport saying the
 * same are stored (served by the FHIR endpoint), and SEG and SR are queued for the DICOM and folder destinations of the
 * routes that processed the study, the FHIR Bundle for their FHIR destinations. {@code 201} with the SEG's and SR's
 * UIDs, the model's own IoU estimate, the mask's pixels, area, longest extent and the destinations it was queued for. {@code 400} TSR-0821 a malformed body, TSR-0345 a prompt outside the frame,
 * TSR-0822 a model that is not loaded or not promptable; {@code 404} TSR-0823 unknown study, TSR-0824 unknown series
 * or frame; {@code 413} TSR-0820 over 64 KiB; {@code 422} TSR-0825 a series that cannot be read as a volume;
 * {@code 500} TSR-0826 the model failed. Needs the scope {@code tessera/prompts.write}.
 */
final class PromptServlet extends HttpServlet {
    private static final Pattern PATH = Pattern.compile("/([0-9]+(?:\\.[0-9]+)*)/prompts/?");
    private static final int MAX_BODY = 64 << 10;
    private final StudyIndex index;
    private final ModelRegistry models;
    private final Path results;
    /** (study, version) → the destinations its SEG goes to; queues it there and returns their names. */
    private final Delivery delivery;
    private final Map<String, PromptSegmentation> byModel = new ConcurrentHashMap<>();

    /** Stores the region's FHIR result set and queues its SEG, SR and Bundle; returns the destinations' names. */
    interface Delivery {
        List<String> deliver(String studyUid, int version, SourceSeries series, PromptSegmentation segmentation,
                             PromptSegmentation.Result result) throws IOException;
    }

    PromptServlet(StudyIndex index, ModelRegistry models, Path results, Delivery delivery) {
        this.index = index;
        this.models = models;
        this.results = results;
        this.delivery = delivery;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Matcher m = PATH.matcher(req.getPathInfo() == null ? "" : req.getPathInfo());
        if (!m.matches()) {
            write(resp, 404, Map.of("error", "no such resource"));
            return;
        }
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            write(resp, 413, Map.of("error", "TSR-0820: the request body is larger than " + MAX_BODY + " bytes"));
            return;
        }
        PromptRequest p;
        try {
            JsonNode json = JsonServlet.JSON.readTree(body);
            p = PromptRequest.parse(json);
        } catch (IllegalArgumentException | IOException e) {
            write(resp, 400, Map.of("error", e instanceof IOException ? "TSR-0821: the body is not JSON" : e.getMessage()));
            return;
        }
        String studyUid = m.group(1);
        LoadedModel model = models.get(p.model()).orElse(null);
        if (model == null || !ModelManifest.PROMPTABLE.equals(model.manifest().task())) {
            write(resp, 400, Map.of("error", "TSR-0822: '" + p.model() + "' is not a loaded " + ModelManifest.PROMPTABLE + " model"));
            return;
        }
        StudyRecord study = index.study(studyUid).orElse(null);
        if (study == null) {
            write(resp, 404, Map.of("error", "TSR-0823: no study " + studyUid));
            return;
        }
        List<Path> files = index.instances(studyUid).stream().filter(r -> r.seriesUid().equals(p.seriesUid()))
                .map(InstanceRecord::path).toList();
        if (files.isEmpty()) {
            write(resp, 404, Map.of("error", "TSR-0824: study " + studyUid + " has no series " + p.seriesUid()));
            return;
        }
        run(resp, study, files, p, model);
    }

    private void run(HttpServletResponse resp, StudyRecord study, List<Path> files, PromptRequest p, LoadedModel model)
            throws IOException {
        SourceSeries series;
        io.tessera.inference.FrameImage projection = null;
        try {
            series = new SeriesReader().read(files);
        } catch (io.tessera.dicomio.SeriesReadException | RuntimeException e) {
            // a radiograph (CR, DX, a secondary capture) has no patient-space geometry: its one frame as it is hung
            if (files.size() != 1) {
                write(resp, 422, Map.of("error", "TSR-0825: series " + p.seriesUid() + " cannot be read as images: " + e.getMessage()));
                return;
            }
            try {
                io.tessera.dicomio.ProjectionImage img = new io.tessera.dicomio.ProjectionImageReader().read(files.get(0));
                series = img.toSourceSeries();
                projection = new io.tessera.inference.FrameImage(img.sopInstanceUid() + "/1", img.width(), img.height(), img.values(),
                        img.hasVoi() ? img.voiCenter() : Double.NaN, img.hasVoi() ? img.voiWidth() : Double.NaN);
            } catch (IOException | RuntimeException e2) {
                write(resp, 422, Map.of("error", "TSR-0825: series " + p.seriesUid() + " cannot be read as images: " + e.getMessage()
                        + "; nor as one projection image: " + e2.getMessage()));
                return;
            }
        }
        int k = PromptSegmentation.sliceOf(series, p.sopInstanceUid(), p.frameNumber());
        if (k < 0) {
            write(resp, 404, Map.of("error", "TSR-0824: series " + p.seriesUid() + " has no frame " + p.frameNumber() + " of "
                    + p.sopInstanceUid()));
            return;
        }
        PromptSegmentation.Result r;
        PromptSegmentation segmentation = byModel.computeIfAbsent(model.name(), n -> new PromptSegmentation(model));
        try {
            Path dir = results.resolve(study.studyUid()).resolve("prompts");
            r = projection == null ? segmentation.run(series, k, p.prompt(), study.version(), dir)
                    : segmentation.run(series, k, projection, p.prompt(), study.version(), dir);
        } catch (IllegalArgumentException e) {
            write(resp, 400, Map.of("error", e.getMessage()));
            return;
        } catch (InferenceException e) {
            write(resp, 500, Map.of("error", "TSR-0826: " + e.getMessage()));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seriesInstanceUid", r.seriesInstanceUid());
        out.put("sopInstanceUid", r.sopInstanceUid());
        out.put("predictedIou", r.predictedIou());
        out.put("pixels", r.pixels());
        out.put("areaMm2", Math.round(r.areaMm2() * 10) / 10.0);
        out.put("maxDiameterMm", Math.round(r.maxDiameterMm() * 10) / 10.0);
        out.put("model", model.identity().displayName());
        if (r.report() != null) {
            out.put("srSeriesInstanceUid", r.report().sr().seriesInstanceUid());
            out.put("srSopInstanceUid", r.report().sr().sopInstanceUid());
        }
        out.put("queuedFor", r.pixels() == 0 ? List.of() : delivery.deliver(study.studyUid(), study.version(), series, segmentation, r));
        write(resp, 201, out);
    }

    private static void write(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        JsonServlet.JSON.writeValue(resp.getOutputStream(), body);
    }
}
