package io.tessera.inference;

import ai.onnxruntime.OrtException;
import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.Volume;
import java.nio.FloatBuffer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segments a volume with a model, driven by its manifest. Contract: input is a {@link Volume} in patient space
 * (HU for CT); output is a label map on the same grid, values = label values of the manifest. Steps: resample to
 * the model spacing → intensity → sliding window (batched, Gaussian-weighted blending of the raw outputs) →
 * normalise by weight, check finite, argmax per model voxel → connected-component post-processing on the model grid
 * → activate where classes meet → trilinear back to the source grid + argmax. The parts of the grid that no window
 * left to run can touch go through those last steps while the model still runs ({@link EarlyWork}). Thread-safe; the
 * session is shared.
 *
 * <p>Jobs: at most {@code jobsPerDevice} segmentations hold the model's device at once (others wait, fairly); each
 * fails with {@link InferenceException#TIMEOUT} once it has run for the model's job timeout. Failures are
 * {@link InferenceException}s with a stable {@link InferenceException#code() code}: they end that job only.
 */
public final class Segmenter {
    private static final Logger log = LoggerFactory.getLogger(Segmenter.class);
    private final boolean earlyWork;

    public Segmenter() {
        this(true);
    }

    /** {@code earlyWork} false: everything is worked out after the last batch (tests compare the two). */
    Segmenter(boolean earlyWork) {
        this.earlyWork = earlyWork;
    }

    public SegmentationOutput segment(LoadedModel model, Volume volume) throws InferenceException {
        return segment(model, volume, WindowProgress.NONE);
    }

    /** As {@link #segment(LoadedModel, Volume)}, telling {@code progress} after each batch of windows. */
    public SegmentationOutput segment(LoadedModel model, Volume volume, WindowProgress progress) throws InferenceException {
        return segment(model, List.of(volume), progress);
    }

    /**
     * A model of several input channels ({@code input.channels}: one series each, T1 and FLAIR, say): {@code channels}
     * in the manifest's order, all on one grid (the caller resamples every series onto the first's); the result is on
     * that grid. Each channel is resampled to the model grid and normalised on its own.
     */
    public SegmentationOutput segment(LoadedModel model, List<Volume> channels, WindowProgress progress) throws InferenceException {
        ModelManifest m = model.manifest();
        if ("segmentation".equals(m.task()) && channels.size() != m.input().channelCount()) {
            throw new InferenceException("TSR-0311: model " + model.name() + " takes " + m.input().channelCount()
                    + " series as channels, was given " + channels.size());
        }
        for (Volume c : channels) {
            if (!c.grid().sameGeometry(channels.get(0).grid())) {
                throw new InferenceException("TSR-0311: model " + model.name() + ": channel grids differ (" + c.grid() + " vs "
                        + channels.get(0).grid() + "); resample each series onto the first's");
            }
        }
        if (!"segmentation".equals(m.task())) {
            throw new InferenceException("TSR-0324: model " + model.name() + " is a " + m.task() + " model, not segmentation");
        }
        Semaphore slots = model.deviceSlots();
        long queued = System.nanoTime();
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException(InferenceException.INTERRUPTED + ": model " + model.name()
                    + ": interrupted while waiting for device " + model.device(), e);
        }
        try (JobControl control = JobControl.start(model)) {
            long waited = System.nanoTime() - queued;
            if (waited > 50_000_000L) {
                log.info("Model {}: waited {} ms for a slot on device {}", model.identity().displayName(), waited / 1_000_000, model.device());
            }
            return run(model, channels, control, waited, progress);
        } finally {
            slots.release();
        }
    }

    private SegmentationOutput run(LoadedModel model, List<Volume> inputs, JobControl control, long waitedNanos,
                                   WindowProgress progress) throws InferenceException {
        ModelManifest m = model.manifest();
        Volume volume = inputs.get(0);
        Map<String, Long> stages = new LinkedHashMap<>();
        long start = System.nanoTime(), t = start, cpuStart = ProcessCpu.nanos();

        Grid src = volume.grid();
        Grid low = Resampler.modelGrid(src, m.input().spacingXyz());
        requireMemory(model, low, src);
        int[] patch = m.input().patchZyx();
        List<int[]> windows = SlidingWindow.windows(new int[] {low.nz(), low.ny(), low.nx()}, patch, m.input().overlap());
        int batchSize = m.input().batch();
        float[] window = IntensityNormalizer.pointwiseWindow(m.input().intensity());
        float[] image;
        float pad;
        float[][] more = new float[inputs.size() - 1][];
        float[] morePads = new float[inputs.size() - 1];
        // with a CT window each voxel is normalised on its own: only the first batch's windows are made before the
        // model starts, the rest of the image while it runs them
        CompletableFuture<Void> imageRest;
        if (window != null && windows.size() > batchSize && !src.sameGeometry(low) && inputs.size() == 1) {
            Resampler.Box first = firstBatch(windows.subList(0, batchSize), patch);
            float[] img = new float[low.voxelCount()];
            Resampler.resample(volume, low, img, first, true, window);
            imageRest = CompletableFuture.runAsync(() -> Resampler.resample(volume, low, img, first, false, window), WORKERS);
            image = img;
            pad = 0f;
            t = lap(stages, "resample", t);
        } else {
            image = Resampler.resample(volume, low);
            t = lap(stages, "resample", t);
            pad = IntensityNormalizer.apply(image, m.input().intensity());
            for (int c = 1; c < inputs.size(); c++) { // each further series normalised on its own, as in training
                more[c - 1] = Resampler.resample(inputs.get(c), low);
                morePads[c - 1] = IntensityNormalizer.apply(more[c - 1], m.input().intensity());
            }
            imageRest = CompletableFuture.completedFuture(null);
        }
        t = lap(stages, "intensity", t);
        control.check();

        float[] weights = model.blendingWeights();
        int channels = model.modelPackage().labels().size() + 1;
        // the large arrays (the sums, the probabilities, the source-grid labels: ~130 MB for a 512×512×300 CT) are
        // allocated and zeroed on the other core while the model runs its first batch, not on the critical path
        CompletableFuture<Buffers> buffers = CompletableFuture.supplyAsync(() -> new Buffers(
                new ProbabilityAccumulator(low.nx(), low.ny(), low.nz(), channels), new byte[low.voxelCount()],
                new float[low.voxelCount() * channels], new byte[src.voxelCount()]), WORKERS);
        int kind = Activation.kind(m.output().activation());
        PatchRunner runner;
        try {
            float[][] images = new float[inputs.size()][];
            float[] pads = new float[inputs.size()];
            images[0] = image;
            pads[0] = pad;
            for (int c = 1; c < inputs.size(); c++) {
                images[c] = more[c - 1];
                pads[c] = morePads[c - 1];
            }
            runner = new PatchRunner(model, new int[] {low.nx(), low.ny(), low.nz()}, images, pads, control);
        } catch (OrtException e) {
            throw InferenceException.fromRuntime(model.name(), e);
        }
        EarlyWork early = earlyWork ? EarlyWork.plan(windows, runner.batchSize(), low, src) : EarlyWork.none(low, src);
        // batch i is blended on another thread while batch i + 1 runs (ONNX Runtime leaves a core partly idle);
        // one blend at a time, in window order, so the sums do not depend on scheduling
        CompletableFuture<?> blending = buffers;
        CompletableFuture<Boolean> earlyDone = null;
        long ortNanos, ortCpuNanos;
        try {
            for (int i = 0; i < windows.size(); i += runner.batchSize()) {
                List<int[]> batch = windows.subList(i, Math.min(windows.size(), i + runner.batchSize()));
                int next = i + runner.batchSize();
                if (next < windows.size()) { // the next batch's windows are copied out while this one runs
                    runner.prefetch(windows.subList(next, Math.min(windows.size(), next + runner.batchSize())), imageRest, WORKERS);
                }
                FloatBuffer out = runner.run(batch);
                progress.windows(Math.min(i + batch.size(), windows.size()), windows.size());
                join(blending);
                ProbabilityAccumulator sums = join(buffers).sums();
                blending = CompletableFuture.runAsync(() -> {
                    for (int b = 0; b < batch.size(); b++) sums.add(out, b, batch.get(b), patch, weights);
                }, WORKERS);
                for (int part = 0; part < early.parts().size(); part++) {
                    if (early.parts().get(part).afterBatch() != i) continue;
                    // on a thread of its own, beside the blends; parts in order
                    Buffers bufs = join(buffers);
                    int p = part;
                    CompletableFuture<Boolean> before = earlyDone != null ? earlyDone : CompletableFuture.completedFuture(true);
                    earlyDone = blending.thenCombineAsync(before, (x, ok) -> ok && earlyPart(early, p, bufs, kind, low, src,
                            channels), WORKERS);
                }
            }
            join(blending);
            ortNanos = runner.ortNanos();
            ortCpuNanos = runner.ortCpuNanos();
        } finally {
            blending.exceptionally(e -> null).join(); // a failed job's last blend still reads the buffers
            imageRest.exceptionally(e -> null).join(); // and nothing of it goes on reading files after it ends
            runner.close();
        }
        runner = null; // with it the normalised image: let both go before the full-resolution steps
        image = null;
        more = null;
        Buffers bufs = join(buffers);
        buffers = null;
        ProbabilityAccumulator acc = bufs.sums();
        // what the early work covered, when it ran to the end; if not, everything is done here
        EarlyWork done = earlyDone != null && join(earlyDone) ? early : early.first(0);
        t = lap(stages, "windows", t);
        byte[] nodeArg = bufs.nodeArg();
        try {
            EarlyWork.Box n = done.nodes(done.rest());
            acc.finishBox(nodeArg, n.from()[0], n.to()[0], n.from()[1], n.to()[1], n.from()[2], n.to()[2], true);
        } catch (ProbabilityAccumulator.NotFinite e) {
            throw new InferenceException(e.nan ? InferenceException.OUTPUT_NAN + ": model " + model.name() + " produced NaN outputs"
                    : InferenceException.OUTPUT_INFINITE + ": model " + model.name() + " produced infinite outputs");
        }
        t = lap(stages, "normalise", t);
        control.check();
        Set<Integer> largestOnly = new HashSet<>();
        for (String name : m.postprocess().largestComponent()) {
            m.output().labels().stream().filter(l -> l.name().equals(name)).forEach(l -> largestOnly.add(l.value()));
        }
        long minVoxels = (long) Math.ceil(m.postprocess().minSizeMl() / low.voxelVolumeMl());
        // the component filters run on a worker while what is left is activated and brought back to the source grid
        // as one more part; then, as for the early parts, only the cells with a removed corner are worked out again
        CompletableFuture<byte[]> removing = CompletableFuture.supplyAsync(
                () -> removedComponents(nodeArg, low, largestOnly, minVoxels), WORKERS);
        float[] probabilities = bufs.probabilities();
        byte[] labels = bufs.labels();
        activate(acc, done.cells(done.rest()), nodeArg, null, kind, probabilities, true);
        t = lap(stages, "activate", t);
        toSourceGrid(done.units(done.rest()), probabilities, channels, nodeArg, low, src, labels, true);
        t = lap(stages, "toSourceGrid", t);
        byte[] removed = join(removing);
        if (removed != null) {
            for (int v = 0; v < removed.length; v++) if (removed[v] != 0) nodeArg[v] = 0;
            acc.activateAroundRemoved(removed, kind, probabilities);
            ProbabilityToLabels.redoAroundRemoved(probabilities, channels, nodeArg, removed, low, src, labels);
        }
        acc = null;
        bufs = null;
        long end = lap(stages, "postprocess", t);
        stages.put("windows", stages.get("windows") - ortNanos); // Tessera's own share of the window loop
        stages.put("ort", ortNanos);
        stages.put("cpu:ort", ortCpuNanos);
        stages.put("cpu:total", ProcessCpu.nanos() - cpuStart);
        stages.put("deviceWait", waitedNanos);

        SegmentationOutput out = new SegmentationOutput(new LabelMap(src, labels), model.identity(), windows.size(),
                ortNanos, end - start, stages);
        log.info("Model {}: segmented {} via model grid {} in {} ms ({} patches, ORT {} ms, overhead {}%)",
                model.identity().displayName(), src, low, (end - start) / 1_000_000, windows.size(),
                ortNanos / 1_000_000, Math.round(out.overheadRatio() * 100));
        return out;
    }

    /**
     * Largest-component and minimum-size filters on the model grid, before going back to the source grid: the model
     * cannot resolve anything finer than its grid, and the filters cost a hundredth of running them on the source
     * voxels. Works on a copy ({@code nodeArg} is read meanwhile); returns the nodes removed (1), which become background
     * with certainty, or null if none was.
     */
    private static byte[] removedComponents(byte[] nodeArg, Grid low, Set<Integer> largestOnly, long minVoxels) {
        byte[] filtered = nodeArg.clone();
        ComponentFilter.apply(filtered, low, largestOnly, minVoxels);
        byte[] removed = null;
        for (int v = 0; v < nodeArg.length; v++) {
            if (filtered[v] != nodeArg[v]) {
                if (removed == null) removed = new byte[nodeArg.length];
                removed[v] = 1;
            }
        }
        return removed;
    }

    /**
     * The threads that allocate a job's arrays, blend batches and do the early work beside the model. Kept and reused:
     * where the common pool has one worker (two cores), {@code CompletableFuture}'s default starts a thread per task,
     * and a fresh thread's stack cost about 0.7 ms of page faults per batch on the benchmark machine. Daemons: they never
     * hold the JVM open.
     */
    private static final java.util.concurrent.ExecutorService WORKERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tessera-segment-worker");
        t.setDaemon(true);
        return t;
    });

    /** The model voxels the first batch's windows cover (clipped to the grid by the resampler). */
    private static Resampler.Box firstBatch(List<int[]> windows, int[] patch) {
        int[] from = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, to = new int[3];
        for (int[] w : windows) {
            for (int a = 0; a < 3; a++) {
                from[a] = Math.min(from[a], w[a]);
                to[a] = Math.max(to[a], w[a] + patch[a]);
            }
        }
        return new Resampler.Box(from, to);
    }

    /** The job's large arrays, allocated while the model runs. */
    private record Buffers(ProbabilityAccumulator sums, byte[] nodeArg, float[] probabilities, byte[] labels) {}

    /**
     * One early part's argmax, activation and labels, before the component filters (see {@link EarlyWork}); false if
     * its outputs are not finite (the job then finds out on the whole grid, and fails).
     */
    private static boolean earlyPart(EarlyWork early, int part, Buffers b, int kind, Grid low, Grid src, int channels) {
        EarlyWork.Box n = early.nodes(part);
        try {
            b.sums().finishBox(b.nodeArg(), n.from()[0], n.to()[0], n.from()[1], n.to()[1], n.from()[2], n.to()[2], false);
        } catch (ProbabilityAccumulator.NotFinite e) {
            return false;
        }
        activate(b.sums(), early.cells(part), b.nodeArg(), null, kind, b.probabilities(), false);
        toSourceGrid(early.units(part), b.probabilities(), channels, b.nodeArg(), low, src, b.labels(), false);
        return true;
    }

    private static void activate(ProbabilityAccumulator acc, EarlyWork.Box c, byte[] nodeArg, byte[] removed, int kind,
            float[] out, boolean parallel) {
        acc.activateCells(nodeArg, removed, kind, out, c.from()[0], c.to()[0], c.from()[1], c.to()[1], c.from()[2], c.to()[2],
                parallel);
    }

    private static void toSourceGrid(EarlyWork.Box u, float[] probs, int channels, byte[] nodeArg, Grid low, Grid src,
            byte[] labels, boolean parallel) {
        ProbabilityToLabels.argmaxRows(probs, channels, nodeArg, low, src, labels, u.from()[0], u.to()[0], u.from()[1],
                u.to()[1], u.from()[2], u.to()[2], parallel);
    }

    /**
     * While the model runs, the job holds on the model grid the image, C sums, the weight sum and C probabilities as
     * floats, and the source grid's labels as bytes; refuse up front with a clear message rather than fail with an
     * OutOfMemoryError half-way (e.g. a manifest spacing far finer than the scan).
     */
    private static void requireMemory(LoadedModel model, Grid low, Grid src) throws InferenceException {
        int channels = model.modelPackage().labels().size() + 1;
        long needed = (long) low.voxelCount() * 4L * (2L * channels + 2) + src.voxelCount();
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (needed > available) {
            throw new InferenceException("TSR-0325: model " + model.name() + " needs about " + (needed >> 20)
                    + " MB for its " + low + " model grid and the labels, only " + (available >> 20) + " MB of heap available");
        }
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    private static long lap(Map<String, Long> stages, String name, long since) {
        long now = System.nanoTime();
        stages.put(name, now - since);
        return now;
    }
}
