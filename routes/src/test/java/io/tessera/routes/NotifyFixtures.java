package io.tessera.routes;

import io.tessera.core.Code;
import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.ModelIdentity;
import io.tessera.core.SegmentLabel;
import io.tessera.core.Segmentation;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.StudyInfo;
import io.tessera.core.Volume;
import io.tessera.fhir.FhirResultMapper;
import io.tessera.fhir.FhirResultSet;
import io.tessera.fhir.SegReference;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** What the notification IT needs: a result set as the job runner maps it, and Jetty on 127.0.0.1 for servlets. */
final class NotifyFixtures {
    static final FhirResultMapper MAPPER = new FhirResultMapper(FhirResultMapper.DEFAULT_PATIENT_ID_SYSTEM, ZoneOffset.UTC);

    private NotifyFixtures() {}

    /** A two-organ CT segmentation of study {@code n} (its own UIDs, patient and accession) mapped to FHIR. */
    static FhirResultSet resultSet(int n) {
        String root = "1.2.826.0.1.3680043.8.498.77" + n;
        StudyInfo study = new StudyInfo(root + ".1", "PID-" + n, "Phitest^Zzmarker", "19700102", "F", "ACC-" + n, "20240315",
                "101530", "CT ABDOMEN", "1");
        Grid grid = Grid.axial(4, 4, 3, new double[] {-20, -20, 0}, new double[] {10, 10, 5});
        List<SliceRef> slices = new ArrayList<>();
        for (int k = 0; k < grid.nz(); k++) {
            slices.add(new SliceRef("1.2.840.10008.5.1.4.1.1.2", root + ".2." + (k + 1), "-20\\-20\\" + (5 * k),
                    Path.of("spool", k + ".dcm")));
        }
        SourceSeries source = new SourceSeries(study, root + ".2", "CT", "Abdomen", "2", "ABDOMEN", root + ".3",
                "1\\0\\0\\0\\1\\0", "10\\10", Volume.zeros(grid), slices);
        byte[] labels = new byte[grid.voxelCount()];
        for (int k = 0; k < 3; k++) labels[grid.index(0, 0, k)] = 1;
        labels[grid.index(3, 3, 1)] = 2;
        Code organ = Code.sct("123037004", "Anatomical Structure");
        List<SegmentLabel> segments = List.of(
                new SegmentLabel(1, "liver", organ, Code.sct("10200004", "Liver"), new int[] {221, 130, 101}),
                new SegmentLabel(2, "spleen", organ, Code.sct("78961009", "Spleen"), new int[] {157, 108, 162}));
        Segmentation seg = new Segmentation(source, new LabelMap(grid, labels), segments,
                new ModelIdentity("abdomen-organs", "1.2.0", "ab".repeat(32), "CPU"));
        return MAPPER.map(seg, SegReference.segmentation(root + ".4", root + ".5", 9001, "AI segmentation"),
                Instant.parse("2024-03-15T11:00:00Z"), 1);
    }

    static String segSop(int n) {
        return "1.2.826.0.1.3680043.8.498.77" + n + ".5";
    }

    /** Jetty on 127.0.0.1 serving {@code servlet} at {@code pathSpec}, on {@code port} (0: a free one). */
    static Server jetty(int port, String pathSpec, HttpServlet servlet) throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(servlet), pathSpec);
        jetty.setHandler(context);
        jetty.start();
        return jetty;
    }

    static int port(Server jetty) {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** A rest-hook receiver: records each request (method, path, Authorization, body) and answers 200. */
    static final class Hook extends HttpServlet {
        record Got(String method, String path, String authorization, String body, Instant at) {}

        final List<Got> got = new CopyOnWriteArrayList<>();

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            got.add(new Got(req.getMethod(), req.getRequestURI(), req.getHeader("Authorization"),
                    new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8), Instant.now()));
            resp.setStatus(200);
        }
    }
}
