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
 * → activate where classes meet → trilinear back to the source grid + argmax. Thread-safe; the session is shared.
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
        ModelManifest m = model.manifest();
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
        try (JobControl control = JobControl.start(model.name(), model.jobTimeout())) {
            long waited = System.nanoTime() - queued;
            if (waited > 50_000_000L) {
                log.info("Model {}: waited {} ms for a slot on device {}", model.identity().displayName(), waited / 1_000_000, model.device());
            }
            return run(model, volume, control, waited);
        } finally {
            slots.release();
        }
    }

    private SegmentationOutput run(LoadedModel model, Volume volume, JobControl control, long waitedNanos)
            throws InferenceException {
        ModelManifest m = model.manifest();
        Map<String, Long> stages = new LinkedHashMap<>();
        long start = System.nanoTime(), t = start, cpuStart = ProcessCpu.nanos();

        Grid src = volume.grid();
        Grid low = Resampler.modelGrid(src, m.input().spacingXyz());
        requireMemory(model, low, src);
        float[] image = Resampler.resample(volume, low);
        t = lap(stages, "resample", t);
        float pad = IntensityNormalizer.apply(image, m.input().intensity());
        t = lap(stages, "intensity", t);
        control.check();

        int[] patch = m.input().patchZyx();
        List<int[]> windows = SlidingWindow.windows(new int[] {low.nz(), low.ny(), low.nx()}, patch, m.input().overlap());
        float[] weights = BlendingWeights.of(patch, m.input().blending());
        int channels = model.modelPackage().labels().size() + 1;
        // the large arrays (the sums, the probabilities, the source-grid labels: ~130 MB for a 512×512×300 CT) are
        // allocated and zeroed on the other core while the model runs its first batch, not on the critical path
        CompletableFuture<Buffers> buffers = CompletableFuture.supplyAsync(() -> new Buffers(
                new ProbabilityAccumulator(low.nx(), low.ny(), low.nz(), channels), new byte[low.voxelCount()],
                new float[low.voxelCount() * channels], new byte[src.voxelCount()]));
        int kind = Activation.kind(m.output().activation());
        PatchRunner runner;
        try {
            runner = new PatchRunner(model, new int[] {low.nx(), low.ny(), low.nz()}, image, pad, control);
        } catch (OrtException e) {
            throw InferenceException.fromRuntime(model.name(), e);
        }
        EarlyWork early = earlyWork ? EarlyWork.plan(windows, runner.batchSize(), low, src) : null;
        // batch i is blended on another thread while batch i + 1 runs (ONNX Runtime leaves a core partly idle);
        // one blend at a time, in window order, so the sums do not depend on scheduling
        CompletableFuture<?> blending = buffers;
        CompletableFuture<Boolean> earlyDone = null;
        long ortNanos, ortCpuNanos;
        try {
            for (int i = 0; i < windows.size(); i += runner.batchSize()) {
                List<int[]> batch = windows.subList(i, Math.min(windows.size(), i + runner.batchSize()));
                FloatBuffer out = runner.run(batch);
                join(blending);
                ProbabilityAccumulator sums = join(buffers).sums();
                blending = CompletableFuture.runAsync(() -> {
                    for (int b = 0; b < batch.size(); b++) sums.add(out, b, batch.get(b), patch, weights);
                });
                if (early != null) {
                    // on a thread of its own, so that the blends keep the pool's worker
                    Buffers bufs = join(buffers);
                    java.util.concurrent.Executor own = r -> new Thread(r, "tessera-early-work").start();
                    if (early.slices() != null && i == early.slices().afterBatch()) {
                        earlyDone = blending.thenApplyAsync(x -> earlySlices(early, bufs, kind, low, src, channels), own);
                    }
                    if (early.rows() != null && i == early.rows().afterBatch()) {
                        CompletableFuture<Boolean> before = earlyDone != null ? earlyDone : CompletableFuture.completedFuture(true);
                        earlyDone = blending.thenCombineAsync(before,
                                (x, ok) -> ok && earlyRows(early, bufs, kind, low, src, channels), own);
                    }
                }
            }
            join(blending);
            ortNanos = runner.ortNanos();
            ortCpuNanos = runner.ortCpuNanos();
        } finally {
            blending.exceptionally(e -> null).join(); // a failed job's last blend still reads the buffers
            runner.close();
        }
        runner = null; // with it the normalised image: let both go before the full-resolution steps
        image = null;
        Buffers bufs = join(buffers);
        buffers = null;
        ProbabilityAccumulator acc = bufs.sums();
        // what the early work covered, when it ran to the end; if not, everything is done here
        EarlyWork done = earlyDone != null && join(earlyDone) ? early : null;
        int doneSlices = done == null ? 0 : done.sliceNodes(), doneRows = done == null ? 0 : done.rowNodes();
        t = lap(stages, "windows", t);
        byte[] nodeArg = bufs.nodeArg();
        try {
            acc.finishBox(nodeArg, doneSlices, low.nz(), doneRows, low.ny(), true);
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
        byte[] removed = removeComponents(nodeArg, low, largestOnly, minVoxels);
        t = lap(stages, "postprocess", t);
        float[] probabilities = bufs.probabilities();
        acc.activateCells(nodeArg, removed, kind, probabilities, Math.max(0, doneSlices - 1), acc.cellLayers(),
                Math.max(0, doneRows - 1), acc.cellRows(), true);
        if (done != null && removed != null) acc.activateAroundRemoved(removed, kind, probabilities);
        acc = null;
        t = lap(stages, "activate", t);
        byte[] labels = bufs.labels();
        int groups = ProbabilityToLabels.groupsWithin(low, src, low.ny() + 1);
        int sliceFrom = done == null || done.slices() == null ? 0 : done.slices().units();
        int groupFrom = done == null || done.rows() == null ? 0 : done.rows().units();
        ProbabilityToLabels.argmaxRows(probabilities, channels, nodeArg, low, src, labels, sliceFrom, src.nz(), groupFrom,
                groups, true);
        if (done != null && removed != null) {
            ProbabilityToLabels.redoAroundRemoved(probabilities, channels, nodeArg, removed, low, src, labels);
        }
        bufs = null;
        long end = lap(stages, "toSourceGrid", t);
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
     * voxels. Returns the nodes removed (1), which become background with certainty, or null if none was.
     */
    private static byte[] removeComponents(byte[] nodeArg, Grid low, Set<Integer> largestOnly, long minVoxels) {
        byte[] before = nodeArg.clone();
        ComponentFilter.apply(nodeArg, low, largestOnly, minVoxels);
        byte[] removed = null;
        for (int v = 0; v < nodeArg.length; v++) {
            if (nodeArg[v] != before[v]) {
                if (removed == null) removed = new byte[nodeArg.length];
                removed[v] = 1;
            }
        }
        return removed;
    }

    /** The job's large arrays, allocated while the model runs. */
    private record Buffers(ProbabilityAccumulator sums, byte[] nodeArg, float[] probabilities, byte[] labels) {}

    /**
     * The early slices' argmax, activation and labels, before the component filters (see {@link EarlyWork}); false if
     * their outputs are not finite (the job then finds out on the whole grid, and fails).
     */
    private static boolean earlySlices(EarlyWork early, Buffers b, int kind, Grid low, Grid src, int channels) {
        EarlyWork.Part p = early.slices();
        try {
            b.sums().finishBox(b.nodeArg(), 0, p.nodes(), 0, low.ny(), false);
        } catch (ProbabilityAccumulator.NotFinite e) {
            return false;
        }
        b.sums().activateCells(b.nodeArg(), null, kind, b.probabilities(), 0, p.cells(), 0, b.sums().cellRows(), false);
        ProbabilityToLabels.argmaxRows(b.probabilities(), channels, b.nodeArg(), low, src, b.labels(), 0, p.units(), 0,
                ProbabilityToLabels.groupsWithin(low, src, low.ny() + 1), false);
        return true;
    }

    /** As {@link #earlySlices}, for the early rows of the other slices. */
    private static boolean earlyRows(EarlyWork early, Buffers b, int kind, Grid low, Grid src, int channels) {
        EarlyWork.Part p = early.rows();
        int slices = early.sliceNodes();
        try {
            b.sums().finishBox(b.nodeArg(), slices, low.nz(), 0, p.nodes(), false);
        } catch (ProbabilityAccumulator.NotFinite e) {
            return false;
        }
        b.sums().activateCells(b.nodeArg(), null, kind, b.probabilities(), Math.max(0, slices - 1), b.sums().cellLayers(), 0,
                p.cells(), false);
        int sliceFrom = early.slices() == null ? 0 : early.slices().units();
        ProbabilityToLabels.argmaxRows(b.probabilities(), channels, b.nodeArg(), low, src, b.labels(), sliceFrom, src.nz(), 0,
                p.units(), false);
        return true;
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
