package io.tessera.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.app.Main;
import io.tessera.listener.IndexDatabase;
import io.tessera.testkit.ArtemisPeer;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.FreePorts;
import io.tessera.testkit.JavaProcess;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.PostgresPeer;
import io.tessera.testkit.phantom.PhantomSpec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The same studies through Tessera in single mode and as a distributed cluster (PostgreSQL, an Artemis broker in its
 * own process, a shared folder; one ingest+delivery node and one or two worker nodes, each a real {@code tessera serve}
 * JVM), on this machine: the time until every study is DONE, the time per study, and distributed mode's overhead
 * against single mode. Never run as a test.
 *
 * <p>Each configuration gets fresh storage (and a fresh PostgreSQL schema), is started and healthy before the clock
 * runs, and is sent all studies by one {@code storescu} run (one association per study, back to back); the clock
 * stops when {@code GET /api/studies} shows every study DONE. A warm-up study precedes the clock in every configuration
 * so that model loading and JIT warm-up are not charged to the first study.
 *
 * <p>Arguments: {@code --studies N} (20), {@code --work DIR} (a temporary folder), {@code --modes a,b}
 * (single,workers-1,workers-2), {@code --grid N} (128: N×N pixels, 48 slices at 3 mm).
 */
public final class ClusterBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String MODEL = "ct-phantom-organs";

    private final Path work;
    private final Path models;
    private final List<List<Path>> studies;
    private final List<String> studyUids;
    private final List<Path> warmUp;
    private final String warmUpUid;

    private ClusterBenchmark(Path work, Path models, List<PhantomStudy> studies, PhantomStudy warmUp) {
        this.work = work;
        this.models = models;
        this.studies = studies.stream().map(PhantomStudy::files).toList();
        this.studyUids = studies.stream().map(s -> s.study().studyInstanceUid()).toList();
        this.warmUp = warmUp.files();
        this.warmUpUid = warmUp.study().studyInstanceUid();
    }

    public static void main(String[] args) throws Exception {
        int n = 20;
        int grid = 128;
        Path work = null;
        List<String> modes = List.of("single", "workers-1", "workers-2");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--studies" -> n = Integer.parseInt(args[++i]);
                case "--grid" -> grid = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--modes" -> modes = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --studies N, --grid N, --work DIR, --modes single,workers-1,workers-2)");
            }
        }
        Path models = Path.of("..", "models").toAbsolutePath().normalize();
        if (!Files.isDirectory(models.resolve(MODEL))) {
            throw new IllegalStateException("run from the bench folder: " + models.resolve(MODEL) + " not found");
        }
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("tessera-cluster-bench-");
        List<PhantomStudy> written = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            written.add(PhantomStudy.write(spec(100 + i, grid), Files.createDirectories(dir.resolve("study-" + i))));
        }
        PhantomStudy warm = PhantomStudy.write(spec(99, grid), Files.createDirectories(dir.resolve("warm-up")));
        new ClusterBenchmark(dir, models, written, warm).run(modes, grid);
    }

    private static PhantomSpec spec(long seed, int grid) {
        return new PhantomSpec(seed, grid, grid, 48, 400.0 / grid, 3.0, 1, PhantomSpec.DEFAULT_NOISE_HU, 1);
    }

    private void run(List<String> modes, int grid) throws Exception {
        Map<String, Result> results = new LinkedHashMap<>();
        for (String mode : modes) {
            Result r = mode.equals("single") ? single() : distributed(Integer.parseInt(mode.substring("workers-".length())));
            System.out.printf(Locale.ROOT, "%s: %d studies DONE in %.1f s (%.2f s per study; latency after the last "
                    + "instance: median %.1f s)%n", mode, studies.size(), r.seconds, r.seconds / studies.size(), r.medianLatency);
            results.put(mode, r);
        }
        System.out.printf(Locale.ROOT, "%n%d studies of %d×%d×48 (%d instances each), model %s, %d cores, load average at end %s%n%n",
                studies.size(), grid, grid, studies.get(0).size(), MODEL, Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.println("| mode | nodes | all DONE s | s per study | median latency s | vs single |");
        System.out.println("|---|---|---|---|---|---|");
        Result single = results.get("single");
        results.forEach((mode, r) -> System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.2f | %.1f | %s |%n", mode, r.nodes,
                r.seconds, r.seconds / studies.size(), r.medianLatency,
                single == null ? "" : String.format(Locale.ROOT, "%.2f", r.seconds / single.seconds)));
    }

    private record Result(String nodes, double seconds, double medianLatency) {}

    private Result single() throws Exception {
        Path dir = Files.createDirectories(work.resolve("single"));
        Node node = Node.start(dir, yaml(dir, "", ""), List.of());
        try {
            return measure(node, "1 (all roles, H2, in-process queue)");
        } finally {
            node.close();
        }
    }

    private Result distributed(int workers) throws Exception {
        Path dir = Files.createDirectories(work.resolve("workers-" + workers));
        Path shared = Files.createDirectories(dir.resolve("shared"));
        try (PostgresPeer db = PostgresPeer.start(); ArtemisPeer broker = ArtemisPeer.start()) {
            String cluster = "cluster: { mode: distributed, brokerUrl: '" + broker.url() + "' }\n";
            String storage = ", indexUrl: '" + db.newSchemaUrl(IndexDatabase.EMBEDDED_USER) + "', sharedDir: " + shared;
            List<Node> nodes = new ArrayList<>();
            try {
                Path ingestDir = Files.createDirectories(dir.resolve("ingest"));
                Node ingest = Node.start(ingestDir, yaml(ingestDir, storage, cluster), List.of("--node.id=ingest-1",
                        "--node.roles=ingest,delivery"));
                nodes.add(ingest);
                for (int w = 1; w <= workers; w++) {
                    Path workerDir = Files.createDirectories(dir.resolve("worker-" + w));
                    nodes.add(Node.start(workerDir, yaml(workerDir, storage, cluster), List.of("--node.id=worker-" + w,
                            "--node.roles=worker")));
                }
                return measure(ingest, "1 ingest+delivery, " + workers + " worker" + (workers > 1 ? "s" : "")
                        + " (PostgreSQL, Artemis, shared folder)");
            } finally {
                for (Node node : nodes) node.close();
            }
        }
    }

    /** Warm-up study, then the clock: every study sent, until all are DONE. */
    private Result measure(Node node, String nodes) throws Exception {
        send(node, List.of(warmUp));
        awaitDone(node, List.of(warmUpUid), Duration.ofMinutes(5));
        long t0 = System.nanoTime();
        long sent = send(node, studies);
        Map<String, Long> done = awaitDone(node, studyUids, Duration.ofMinutes(30));
        long last = done.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        List<Double> latencies = done.values().stream().map(t -> (t - sent) / 1e9).sorted().toList();
        return new Result(nodes, (last - t0) / 1e9, latencies.get(latencies.size() / 2));
    }

    /** Sends each study on its own association, back to back; returns when the last was answered. */
    private static long send(Node node, List<List<Path>> batch) throws IOException, InterruptedException {
        for (List<Path> files : batch) {
            ExternalTool.Result r = ExternalTool.storescu("127.0.0.1", node.dicomPort, "BENCH", "TESSERA", files);
            if (r.exitCode() != 0) throw new IOException("storescu failed (" + r.exitCode() + "): " + r.output());
        }
        return System.nanoTime();
    }

    /** Polls {@code /api/studies} every 100 ms; returns when each study was first seen DONE (nanoTime). */
    private static Map<String, Long> awaitDone(Node node, List<String> uids, Duration timeout) throws Exception {
        Map<String, Long> done = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (done.size() < uids.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(done.size() + " of " + uids.size() + " studies DONE after " + timeout
                        + "; see the node logs under the work folder");
            }
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl + "/api/studies"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            long now = System.nanoTime();
            for (JsonNode s : JSON.readTree(r.body()).path("studies")) {
                String uid = s.path("studyInstanceUid").asText();
                String state = s.path("state").asText();
                if (uids.contains(uid) && !done.containsKey(uid)) {
                    if (state.equals("FAILED")) throw new IllegalStateException("study failed: " + s);
                    if (state.equals("DONE")) done.put(uid, now);
                }
            }
            Thread.sleep(100);
        }
        return done;
    }

    private String yaml(Path dir, String storage, String cluster) throws IOException {
        Path results = Files.createDirectories(dir.getParent().resolve("results"));
        return "dicom: { aeTitle: TESSERA, bindAddress: 127.0.0.1, port: %d }\n".formatted(FreePorts.next())
                + "storage: { dir: " + dir.resolve("var") + storage + " }\n"
                + "completion: { quietPeriod: 2s }\n"
                + "http: { bindAddress: 127.0.0.1, port: %d }\n".formatted(FreePorts.next())
                + "models: { dirs: [" + models + "] }\n"
                + cluster
                + "destinations:\n  - { name: results, type: folder, path: " + results + " }\n"
                + "routes:\n  - { name: ct-organs, match: { modality: CT }, models: [" + MODEL + "], destinations: [results] }\n";
    }

    /** One {@code tessera serve} JVM, healthy when {@link #start} returns; stopped by its PID. */
    private static final class Node implements AutoCloseable {
        final JavaProcess process;
        final int dicomPort;
        final String baseUrl;

        private Node(JavaProcess process, int dicomPort, int httpPort) {
            this.process = process;
            this.dicomPort = dicomPort;
            this.baseUrl = "http://127.0.0.1:" + httpPort;
        }

        static Node start(Path dir, String yaml, List<String> options) throws Exception {
            Path config = dir.resolve("tessera.yaml");
            Files.writeString(config, yaml);
            int dicom = Integer.parseInt(yaml.replaceAll("(?s).*dicom: \\{[^}]*port: (\\d+).*", "$1"));
            int http = Integer.parseInt(yaml.replaceAll("(?s).*http: \\{[^}]*port: (\\d+).*", "$1"));
            List<String> args = new ArrayList<>(List.of("serve", "--config", config.toString()));
            args.addAll(options);
            // -Xss8m: ONNX Runtime's session creation needs more than the default main-thread stack
            JavaProcess p = JavaProcess.start(Main.class, List.of("-Xmx1g", "-Xss8m"), args, dir.resolve("node.log"));
            Node node = new Node(p, dicom, http);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (true) {
                if (!p.isAlive()) throw new IllegalStateException("node exited at start:\n" + p.logTail(4000));
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl + "/health"))
                            .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().contains("UP")) return node;
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    p.close();
                    throw new IllegalStateException("node not healthy within 2 min:\n" + p.logTail(4000));
                }
                Thread.sleep(200);
            }
        }

        @Override
        public void close() {
            process.close();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
