package io.tessera.bench;

import io.tessera.listener.DicomListener;
import io.tessera.listener.ListenerSettings;
import io.tessera.listener.StudyIndex;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.FreePorts;
import io.tessera.testkit.OrthancPeer;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sends the 512×512×300 phantom CT with dcmtk {@code storescu} (one association, Nagle off) over loopback to
 * Tessera's durable {@link DicomListener} (in-process), to Orthanc and to dcmtk {@code storescp}, a warm-up round then
 * {@code --rounds} timed rounds, and prints medians and the targets. Never run as a test.
 *
 * <p>Steady state by default, as each server runs in a hospital: one Tessera listener (one index, one spool) and one
 * Orthanc for the whole run, and every round sends a different study (the phantom of seed = round + 1: same size,
 * new UIDs) to every target, so nothing is a duplicate and nothing is deleted between rounds on the clock.
 * {@code --fresh-tessera} restores the earlier method (a new Tessera spool and index each round, which also makes the
 * JIT recompile the index code every round).
 *
 * <p>Two more targets measure where the floor lies on this machine's disk, in the same run: {@code flush} writes each
 * instance's bytes into a pre-allocated file and forces it, one after the other, as a durable receiver that had
 * received every instance whole would have to (storescp's time plus this is the <em>sequential floor</em>), and
 * measures the force of each instance's last 16 KiB alone after the rest was forced (storescp's time plus that is the
 * <em>tail floor</em>, what a receiver that writes while the data still arrives could reach); {@code tessera-nostream}
 * is a second Tessera listener with the log's streaming off ({@code tessera.wal.stream=false}), to measure the gain.
 *
 * <p>Arguments: {@code --rounds N} (5), {@code --work DIR} (a temporary folder), {@code --targets a,b,c}
 * (tessera,orthanc,storescp,flush; also tessera-nostream), {@code --associations N} (1), {@code --fresh-tessera},
 * {@code --link-mbps M} (every receiver reached through a {@link LinkShaper} pacing the connection at M Mbit/s, as a
 * hospital network link would, instead of bare loopback).
 */
public final class IngestBenchmark {
    private static final String CALLING_AE = "BENCH";
    private static final double TARGET_VS_ORTHANC = 1.0 / 3.0;
    private static final double TARGET_VS_STORESCP = 1.5;

    private final Path work;
    private final List<Sent> studies;
    private final long studyBytes;
    private Sent study;
    private StudyIndex runIndex;
    private DicomListener runListener;
    private StudyIndex plainIndex;
    private DicomListener plainListener;
    /** Per timed round: the summed force of each instance's last 16 KiB (see {@link #flush}). */
    private final List<Double> tailFlushes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private OrthancPeer orthanc;

    /** What a round sends: the study's files (the phantom volumes themselves are not kept: 0.5 GB each). */
    record Sent(String studyUid, List<Path> files) {}

    private IngestBenchmark(Path work, List<Sent> studies) throws IOException {
        this.work = work;
        this.studies = studies;
        this.study = studies.get(0);
        long bytes = 0;
        for (Path f : study.files()) {
            bytes += Files.size(f);
        }
        this.studyBytes = bytes;
    }

    /** Concurrent storescu processes, each sending an interleaved share of the study (the same for every target). */
    private static int associations = 1;
    private static boolean freshTessera;
    /** Above 0: every target is reached through a {@link LinkShaper} at this rate, as over a real network link. */
    private static double linkMbps;

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        Path work = null;
        List<String> targets = List.of("tessera", "orthanc", "storescp", "flush");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--link-mbps" -> linkMbps = Double.parseDouble(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--targets" -> targets = List.of(args[++i].split(","));
                case "--associations" -> associations = Integer.parseInt(args[++i]);
                case "--fresh-tessera" -> freshTessera = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --rounds N, --work DIR, --targets tessera,orthanc,storescp,flush,tessera-nostream, --associations N,"
                        + " --link-mbps M, --fresh-tessera)");
            }
        }
        for (String tool : List.of("storescu", "storescp", "Orthanc")) {
            if (!ExternalTool.onPath(tool)) {
                throw new IllegalStateException(tool + " is not on PATH (scripts/bootstrap.sh installs dcmtk and orthanc)");
            }
        }
        // a server's steady state: its write-ahead log segments were allocated when it first started, not per study
        System.setProperty("tessera.wal.preallocateAll", "true");
        boolean temporary = work == null;
        work = temporary ? Files.createTempDirectory("tessera-bench") : Files.createDirectories(work);
        System.out.printf("work folder %s; load average at start %s%n", work, loadAverage());
        try {
            prepareAndRun(work, rounds, targets);
        } finally {
            // a run leaves about 2.4 GB (phantoms, spool, Orthanc's storage): a temporary folder goes, a named one stays
            if (temporary) {
                deleteTree(work);
            }
        }
    }

    private static void prepareAndRun(Path work, int rounds, List<String> targets) throws Exception {
        long t0 = System.nanoTime();
        List<Sent> studies = new ArrayList<>();
        for (int round = 0; round <= (freshTessera ? 0 : rounds); round++) {
            PhantomStudy written = PhantomStudy.write(PhantomSpec.benchmark(round + 1), Files.createDirectories(work.resolve("phantom-" + round)));
            studies.add(new Sent(written.study().studyInstanceUid(), written.files()));
        }
        // the studies just written are still being flushed by the kernel: that writeback would compete with every
        // target's disk writes (and Tessera's forces) in the first rounds
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        System.out.printf("%d phantom studies written and synced (%d files each) in %.1f s%n", studies.size(),
                studies.get(0).files().size(), (System.nanoTime() - t0) / 1e9);
        new IngestBenchmark(work, studies).run(rounds, targets);
    }

    private void run(int rounds, List<String> targets) throws Exception {
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        targets.forEach(t -> seconds.put(t, new ArrayList<>()));
        try {
            if (targets.contains("orthanc")) {
                orthanc = OrthancPeer.start(Files.createDirectories(work.resolve("orthanc")), null);
            }
            for (int round = 0; round <= rounds; round++) {
                study = studies.get(Math.min(round, studies.size() - 1));
                // rotate the order so that no target always runs right after the same other one
                for (int k = 0; k < targets.size(); k++) {
                    String target = targets.get((k + round) % targets.size());
                    double s = switch (target) {
                        case "tessera" -> tessera(round);
                        case "orthanc" -> orthanc();
                        case "storescp" -> storescp(round);
                        case "flush" -> flush(round);
                        case "tessera-nostream" -> tesseraWithoutStreaming();
                        default -> throw new IllegalArgumentException("unknown target " + target);
                    };
                    System.out.printf("round %d%s %-9s %.3f s%n", round, round == 0 ? " (warm-up)" : "", target, s);
                    // each Tessera target's own breakdown (the sums are per JVM, so they are drained after each send)
                    String timing = DicomListener.drainIngestTiming();
                    if (timing != null && round > 0 && target.startsWith("tessera")) {
                        System.out.printf("  %s %s%n", target, timing);
                    }
                    if (round > 0) {
                        seconds.get(target).add(s);
                    }
                }
            }
        } finally {
            if (orthanc != null) {
                orthanc.close();
            }
            if (runListener != null) {
                runListener.stop(Duration.ofSeconds(1));
                runIndex.close();
            }
            if (plainListener != null) {
                plainListener.stop(Duration.ofSeconds(1));
                plainIndex.close();
            }
        }
        System.out.printf("load average at end %s%n%n", loadAverage());
        System.out.print(table(seconds));
    }

    /** One listener, index and spool for the run (started before the first clock), as a server runs. */
    private double tessera(int round) throws Exception {
        if (freshTessera) {
            return freshTessera(round);
        }
        if (runListener == null) {
            Path spool = work.resolve("tessera");
            runIndex = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool);
            runListener = new DicomListener(ListenerSettings.loopback("TESSERA", spool), runIndex);
            runListener.start();
        }
        double s = send(runListener.port(), "TESSERA");
        check(runIndex.instances(study.studyUid()).size(), "Tessera");
        return s;
    }

    /** A second listener for the run whose log takes each instance whole at its end (no streaming, no write-behind). */
    private double tesseraWithoutStreaming() throws Exception {
        if (plainListener == null) {
            Path spool = work.resolve("tessera-nostream");
            System.setProperty("tessera.wal.stream", "false");
            try {
                plainIndex = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool);
                plainListener = new DicomListener(ListenerSettings.loopback("TESSERA", spool), plainIndex);
                plainListener.start();
            } finally {
                System.clearProperty("tessera.wal.stream");
            }
        }
        double s = send(plainListener.port(), "TESSERA");
        check(plainIndex.instances(study.studyUid()).size(), "Tessera without streaming");
        return s;
    }

    /**
     * The disk's part of a durable receiver's time, without any network: each instance's Part 10 bytes written into a
     * pre-allocated file (as a log segment is) and forced, one after the other; returns the summed seconds. Also
     * records, in {@link #tailFlushes}, the summed time of writing and forcing only each instance's last 16 KiB after the
     * rest of it was written and forced untimed.
     */
    private double flush(int round) throws Exception {
        Path file = work.resolve("flush.bin");
        long size = 256L << 20;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            if (ch.size() < size) {
                java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocateDirect(4 << 20);
                for (long pos = 0; pos < size; pos += 4 << 20) {
                    zeros.clear();
                    ch.write(zeros, pos);
                }
                ch.force(true);
            }
            List<byte[]> bytes = new ArrayList<>();
            for (Path f : study.files()) {
                bytes.add(Files.readAllBytes(f));
            }
            long whole = 0;
            long tail = 0;
            long pos = 0;
            for (byte[] b : bytes) {
                if (pos + b.length > size) {
                    pos = 0;
                }
                long t0 = System.nanoTime();
                ch.write(java.nio.ByteBuffer.wrap(b), pos);
                ch.force(false);
                whole += System.nanoTime() - t0;
                pos += b.length;
            }
            for (byte[] b : bytes) {
                if (pos + b.length > size) {
                    pos = 0;
                }
                int head = Math.max(0, b.length - 16_384);
                ch.write(java.nio.ByteBuffer.wrap(b, 0, head), pos);
                ch.force(false);
                long t0 = System.nanoTime();
                ch.write(java.nio.ByteBuffer.wrap(b, head, b.length - head), pos + head);
                ch.force(false);
                tail += System.nanoTime() - t0;
                pos += b.length;
            }
            if (round > 0) {
                tailFlushes.add(tail / 1e9);
            }
            return whole / 1e9;
        }
    }

    /** A fresh spool and index each round; the listener (and its write-ahead log) is started before the clock runs. */
    private double freshTessera(int round) throws Exception {
        Path spool = work.resolve("tessera-" + round);
        try (StudyIndex index = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool)) {
            DicomListener listener = new DicomListener(ListenerSettings.loopback("TESSERA", spool), index);
            listener.start();
            try {
                double s = send(listener.port(), "TESSERA");
                int n = index.instances(study.studyUid()).size();
                check(n, "Tessera");
                return s;
            } finally {
                listener.stop(Duration.ofSeconds(1));
            }
        } finally {
            deleteTree(spool);
        }
    }

    /** One Orthanc for the run; the study is deleted through REST after each round. */
    private double orthanc() throws Exception {
        double s = send(orthanc.dicomPort(), OrthancPeer.AE_TITLE);
        Matcher m = Pattern.compile("\"CountInstances\"\\s*:\\s*(\\d+)").matcher(orthanc.get("/statistics").body());
        check(m.find() ? Integer.parseInt(m.group(1)) : -1, "Orthanc");
        Matcher ids = Pattern.compile("\"([0-9a-f-]{20,})\"").matcher(orthanc.get("/studies").body());
        while (ids.find()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + orthanc.httpPort() + "/studies/" + ids.group(1))).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("Orthanc refused to delete the study: HTTP " + r.statusCode());
            }
        }
        return s;
    }

    /** A fresh storescp process and output folder each round (storescp writes without fsync). */
    private double storescp(int round) throws Exception {
        Path out = Files.createDirectories(work.resolve("storescp-" + round));
        int port = FreePorts.next();
        ProcessBuilder pb = new ProcessBuilder("storescp", "-aet", "STORESCP", "-od", out.toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(work.resolve("storescp.log").toFile());
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        try {
            awaitPort(port, p);
            double s = send(port, "STORESCP");
            try (Stream<Path> files = Files.list(out)) {
                check((int) files.count(), "storescp");
            }
            return s;
        } finally {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            deleteTree(out);
        }
    }

    private double send(int port, String calledAe) throws Exception {
        if (linkMbps > 0) {
            try (LinkShaper link = new LinkShaper(port, linkMbps)) {
                return sendDirect(link.port(), calledAe);
            }
        }
        return sendDirect(port, calledAe);
    }

    private double sendDirect(int port, String calledAe) throws Exception {
        List<List<Path>> shares = new java.util.ArrayList<>();
        for (int a = 0; a < associations; a++) shares.add(new java.util.ArrayList<>());
        for (int k = 0; k < study.files().size(); k++) shares.get(k % associations).add(study.files().get(k));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(associations);
        try {
            long t0 = System.nanoTime();
            List<java.util.concurrent.Future<ExternalTool.Result>> runs = new java.util.ArrayList<>();
            for (List<Path> share : shares) {
                runs.add(pool.submit(() -> ExternalTool.storescu("127.0.0.1", port, CALLING_AE, calledAe, share)));
            }
            for (java.util.concurrent.Future<ExternalTool.Result> f : runs) {
                ExternalTool.Result r = f.get();
                if (r.exitCode() != 0) {
                    throw new IOException("storescu to " + calledAe + " failed (" + r.exitCode() + "): " + r.output());
                }
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    private void check(int stored, String target) {
        if (stored != study.files().size()) {
            throw new IllegalStateException(target + " holds " + stored + " instances, expected " + study.files().size());
        }
    }

    private String table(Map<String, List<Double>> seconds) {
        StringBuilder sb = new StringBuilder();
        int images = study.files().size();
        sb.append(String.format(Locale.ROOT, "%d images, %.1f MB, %d timed rounds, %d association(s) (storescu -R, TCP_NODELAY=1), %s%n%n",
                images, studyBytes / 1e6, seconds.values().iterator().next().size(), associations,
                linkMbps > 0 ? String.format(Locale.ROOT, "through a %.0f Mbit/s link shaper", linkMbps) : "bare loopback"));
        sb.append("| target | median s | min s | max s | images/s | MB/s |\n|---|---|---|---|---|---|\n");
        Map<String, Double> medians = new LinkedHashMap<>();
        seconds.forEach((target, list) -> {
            List<Double> sorted = list.stream().sorted(Comparator.naturalOrder()).toList();
            if (sorted.isEmpty()) {
                return;
            }
            double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            medians.put(target, median);
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.0f | %.0f |%n", target, median,
                    sorted.get(0), sorted.get(sorted.size() - 1), images / median, studyBytes / 1e6 / median));
        });
        Double t = medians.get("tessera");
        if (t != null) {
            sb.append('\n');
            ratio(sb, t, medians.get("orthanc"), "Tessera / Orthanc", TARGET_VS_ORTHANC, "≤ 1/3");
            ratio(sb, t, medians.get("storescp"), "Tessera / storescp", TARGET_VS_STORESCP, "≤ 1.5");
            Double plain = medians.get("tessera-nostream");
            if (plain != null) {
                sb.append(String.format(Locale.ROOT, "Tessera / Tessera without streaming = %.2f%n", t / plain));
            }
            Double scp = medians.get("storescp");
            Double whole = medians.get("flush");
            if (scp != null && whole != null) {
                double sequential = scp + whole;
                double tail = scp + median(tailFlushes);
                sb.append(String.format(Locale.ROOT, "sequential floor (storescp + each instance written and forced) %.3f s,"
                        + " Tessera / it = %.2f (target < 1): %s%n", sequential, t / sequential, t < sequential ? "met" : "NOT met"));
                sb.append(String.format(Locale.ROOT, "tail floor (storescp + each instance's last 16 KiB forced) %.3f s,"
                        + " Tessera / it = %.2f%n", tail, t / tail));
            }
        }
        return sb.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void ratio(StringBuilder sb, double tessera, Double other, String name, double target, String shown) {
        if (other == null) {
            return;
        }
        double r = tessera / other;
        sb.append(String.format(Locale.ROOT, "%s = %.2f (target %s): %s%n", name, r, shown, r <= target ? "met" : "NOT met"));
    }

    private static void awaitPort(int port, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("storescp exited at start");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IOException("storescp did not listen within 10 s");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
