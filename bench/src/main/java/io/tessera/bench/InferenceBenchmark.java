package io.tessera.bench;

import io.tessera.core.ModelSpace;
import io.tessera.core.SourceSeries;
import io.tessera.core.Volume;
import io.tessera.dicomio.GeometryPolicy;
import io.tessera.dicomio.SeriesReader;
import io.tessera.inference.InferenceSettings;
import io.tessera.inference.LoadedModel;
import io.tessera.inference.ModelRegistry;
import io.tessera.inference.SegmentationOutput;
import io.tessera.inference.Segmenter;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.PhantomGenerator;
import io.tessera.testkit.phantom.PhantomLabels;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a segmentation model (default: the reference {@code ct-phantom-organs}) over the 512×512×300 phantom CT
 * (testkit {@code PhantomSpec.benchmark(seed)}) and prints, per timed round, the model's own ONNX Runtime time (the
 * sum of its {@code session.run} calls), the time to build the volume from the phantom's 300 DICOM files, Tessera's
 * total inference time (volume in, label map on the source grid out), Tessera's own share and its ratio to the model
 * time (without and with the volume building), and the peak heap; then medians, Tessera's stages and
 * Dice against the phantom's truth. Warm-up rounds run first ({@code --warmup N}, 3: the JIT compiles the reading,
 * resampling and blending paths over the first few jobs, as in a server after its first studies; ONNX Runtime's
 * arenas). Never run as a test.
 *
 * <p>Arguments: {@code --rounds N} (5), {@code --warmup N} (3), {@code --models DIR} (../models), {@code --model NAME} (ct-phantom-organs),
 * {@code --providers a,b} (cpu), {@code --device N} (0), {@code --intra N} (0 = ONNX Runtime decides),
 * {@code --inter N} (0), {@code --trt-cache DIR}, {@code --fp16}, {@code --seed N} (1), {@code --in-memory} (the
 * generated volume handed over directly, no volume building from DICOM). {@code --providers} takes
 * {@code tensorrt,cuda,cpu} or {@code [tensorrt,cuda,cpu]};
 * {@code --expect-provider P} exits with status 2 if the model did not get provider P (a GPU run that fell back).
 */
public final class InferenceBenchmark {
    private static final double TARGET_OVERHEAD = 0.15;

    public static void main(String[] args) throws Exception {
        Map<String, String> a = args(args);
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "5"));
        Path models = Path.of(a.getOrDefault("models", "../models"));
        String name = a.getOrDefault("model", "ct-phantom-organs");
        InferenceSettings settings = BenchSettings.from(a);
        PhantomSpec spec = PhantomSpec.benchmark(Long.parseLong(a.getOrDefault("seed", "1")));

        // by default the volume is built each round from the phantom written as a DICOM series (volume building is
        // part of Tessera's own work); --in-memory hands the generated volume over directly, as before
        boolean inMemory = a.containsKey("in-memory");
        long t0 = System.nanoTime();
        Path dicom = inMemory ? null : Files.createTempDirectory("tessera-inference-bench");
        Phantom phantom;
        List<Path> files;
        if (inMemory) {
            phantom = PhantomGenerator.generate(spec);
            files = List.of();
        } else {
            PhantomStudy written = PhantomStudy.write(spec, dicom);
            phantom = written.phantom();
            files = written.files();
        }
        System.out.printf(Locale.ROOT, "phantom %dx%dx%d at %.2fx%.2fx%.2f mm generated%s in %.1f s%n", spec.nx(), spec.ny(),
                spec.nz(), spec.pixelSpacingMm(), spec.pixelSpacingMm(), spec.sliceSpacingMm(),
                inMemory ? "" : " and written as " + files.size() + " DICOM files", (System.nanoTime() - t0) / 1e9);
        try (ModelRegistry registry = ModelRegistry.load(List.of(models), settings)) {
            LoadedModel model = registry.get(name).orElseThrow(() -> new IllegalArgumentException(
                    "model " + name + " not loaded from " + models + ": " + registry.problems()));
            Segmenter segmenter = new Segmenter();
            System.out.printf("model %s on provider %s (device %s), max heap %d MB, %d CPU(s), providers asked %s%n",
                    model.identity().displayName(), model.provider(), model.device(), Runtime.getRuntime().maxMemory() >> 20,
                    Runtime.getRuntime().availableProcessors(), settings.providers());
            String expect = a.get("expect-provider");
            if (expect != null && !expect.equals(model.provider())) {
                System.err.printf("expected provider %s but the model runs on %s (see the TSR-0310 warnings above)%n", expect,
                        model.provider());
                System.exit(2);
            }
            ModelSpace.Orientation orientation = ModelSpace.Orientation.parse(model.manifest().input().orientation());
            SegmentationOutput last = null;
            int warmup = Math.max(1, Integer.parseInt(a.getOrDefault("warmup", "3")));
            for (int w = 0; w < warmup; w++) {
                last = segmenter.segment(model, input(inMemory, phantom, files, orientation, new long[1]));
                System.out.printf(Locale.ROOT, "warm-up %d: total %.0f ms, ORT %.0f ms%n", w + 1, last.totalNanos() / 1e6,
                        last.ortNanos() / 1e6);
            }
            System.out.println();

            // a round keeps its figures, not its 78 MB label map: a server lets each one go once its SEG is written,
            // and label maps piling up would make the collector work during the later rounds and inflate the peak heap
            List<Round> done = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                last = null;
                System.gc();
                try (HeapSampler heap = new HeapSampler()) {
                    long[] build = new long[1];
                    last = segmenter.segment(model, input(inMemory, phantom, files, orientation, build));
                    done.add(new Round(build[0], last.ortNanos(), last.totalNanos(), last.stageNanos(), heap.sampledPeak(),
                            heap.poolPeakSum()));
                }
            }
            print(done, last, phantom, !inMemory);
        } finally {
            if (dicom != null) {
                try (var walk = Files.walk(dicom)) {
                    for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
                }
            }
        }
    }

    /**
     * The volume the model gets: read from the DICOM files (Tessera's series reader: headers, geometry, pixel data to
     * HU) and put into the model's axes, timed into {@code nanos[0]}; or the generated volume itself.
     */
    private static Volume input(boolean inMemory, Phantom phantom, List<Path> files, ModelSpace.Orientation orientation,
            long[] nanos) throws Exception {
        if (inMemory) return phantom.ct();
        long t = System.nanoTime();
        SourceSeries series = new SeriesReader(GeometryPolicy.resampling()).read(files);
        Volume v = ModelSpace.of(series, orientation).volume();
        nanos[0] = System.nanoTime() - t;
        return v;
    }

    record Round(long buildNanos, long ortNanos, long totalNanos, Map<String, Long> stageNanos, long heapSampled,
            long heapPoolPeaks) {
        double buildMs() {
            return buildNanos / 1e6;
        }

        /** Own work including the volume building. */
        double ownWithBuildMs() {
            return ownMs() + buildMs();
        }

        double ortMs() {
            return ortNanos / 1e6;
        }

        double totalMs() {
            return totalNanos / 1e6;
        }

        double ownMs() {
            return totalMs() - ortMs();
        }

        double ortCpuMs() {
            return stageNanos.getOrDefault("cpu:ort", 0L) / 1e6;
        }

        double ownCpuMs() {
            return stageNanos.getOrDefault("cpu:total", 0L) / 1e6 - ortCpuMs();
        }
    }

    private static void print(List<Round> rounds, SegmentationOutput last, Phantom phantom, boolean fromDicom) {
        System.out.println("| round | ORT session.run ms | volume build ms | Tessera total ms | Tessera own ms | own / ORT | (own + build) / ORT | CPU ms: ORT / own | own / ORT (CPU) | peak heap MB (sampled / pool peaks) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int r = 0; r < rounds.size(); r++) {
            Round x = rounds.get(r);
            System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %.1f%% | %.1f%% | %.0f / %.0f | %.1f%% | %d / %d |%n", r + 1,
                    x.ortMs(), x.buildMs(), x.totalMs(), x.ownMs(), 100 * x.ownMs() / x.ortMs(), 100 * x.ownWithBuildMs() / x.ortMs(),
                    x.ortCpuMs(), x.ownCpuMs(), 100 * x.ownCpuMs() / x.ortCpuMs(), x.heapSampled() >> 20, x.heapPoolPeaks() >> 20);
        }
        double ort = median(rounds.stream().mapToDouble(Round::ortMs).toArray());
        double build = median(rounds.stream().mapToDouble(Round::buildMs).toArray());
        double total = median(rounds.stream().mapToDouble(Round::totalMs).toArray());
        double own = median(rounds.stream().mapToDouble(Round::ownMs).toArray());
        double ratio = median(rounds.stream().mapToDouble(x -> x.ownMs() / x.ortMs()).toArray());
        double best = rounds.stream().mapToDouble(x -> x.ownMs() / x.ortMs()).min().orElse(0);
        double withBuild = median(rounds.stream().mapToDouble(x -> x.ownWithBuildMs() / x.ortMs()).toArray());
        double ortCpu = median(rounds.stream().mapToDouble(Round::ortCpuMs).toArray());
        double ownCpu = median(rounds.stream().mapToDouble(Round::ownCpuMs).toArray());
        double cpuRatio = median(rounds.stream().mapToDouble(x -> x.ownCpuMs() / x.ortCpuMs()).toArray());
        long heap = rounds.stream().mapToLong(Round::heapSampled).max().orElse(0);
        long pools = rounds.stream().mapToLong(Round::heapPoolPeaks).max().orElse(0);
        System.out.printf(Locale.ROOT, "| median | %.0f | %.0f | %.0f | %.0f | %.1f%% (best %.1f%%) | %.1f%% | %.0f / %.0f | %.1f%% | max %d / %d |%n%n",
                ort, build, total, own, 100 * ratio, 100 * best, 100 * withBuild, ortCpu, ownCpu, 100 * cpuRatio, heap >> 20, pools >> 20);

        Map<String, double[]> stages = new LinkedHashMap<>();
        for (int r = 0; r < rounds.size(); r++) {
            for (var e : rounds.get(r).stageNanos().entrySet()) {
                stages.computeIfAbsent(e.getKey(), k -> new double[rounds.size()])[r] = e.getValue() / 1e6;
            }
        }
        StringBuilder s = new StringBuilder("stages (median / min ms; cpu: = process CPU):");
        stages.forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s %.1f/%.1f", k, median(v), Arrays.stream(v).min().orElse(0))));
        System.out.println(s);
        System.out.printf("patches %d, labels on %s%n", last.patches(), last.labels().grid());
        StringBuilder d = new StringBuilder("Dice vs phantom truth:");
        for (String label : List.of("body", "lung_left", "lung_right", "bone", "liver", "spleen", "kidney_left", "kidney_right")) {
            int v = PhantomLabels.value(label);
            d.append(String.format(Locale.ROOT, " %s %.3f", label, last.labels().dice(phantom.organs(), v)));
        }
        System.out.println(d);
        System.out.printf(Locale.ROOT, "Tessera's own work from the volume to the labels / model time = %.1f%% wall, %.1f%% CPU%n",
                100 * ratio, 100 * cpuRatio);
        if (fromDicom) {
            System.out.printf(Locale.ROOT, "volume building from the %s DICOM files: median %.0f ms (min %.0f); own work with it / "
                    + "model time = %.1f%% wall (target <= %.0f%%): %s%n", last.labels().grid().nz(), build,
                    rounds.stream().mapToDouble(Round::buildMs).min().orElse(0), 100 * withBuild, 100 * TARGET_OVERHEAD,
                    withBuild <= TARGET_OVERHEAD ? "met" : "NOT met");
        } else {
            System.out.printf(Locale.ROOT, "(--in-memory: volume building not measured) target <= %.0f%%: %s%n", 100 * TARGET_OVERHEAD,
                    ratio <= TARGET_OVERHEAD ? "met without volume building" : "NOT met");
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static Map<String, String> args(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String key = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            m.put(key, flag ? "true" : args[++i]);
        }
        return m;
    }

    private InferenceBenchmark() {}
}
