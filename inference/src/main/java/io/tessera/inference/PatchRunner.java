package io.tessera.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs batches of patches through the model: copies each window out of the normalised model-grid image (padding
 * outside it), calls {@code session.run} under the job's {@link JobControl} (deadline, cancellation), and returns the
 * raw output as [N, C, pz, py, px]. Input and output live in direct buffers (the model's {@link PatchBuffers}, reused
 * across jobs) handed to ONNX Runtime (output pinned), so a batch costs no allocation and no copy. Two output buffers
 * alternate: the caller may still be reading one batch's output (blending it on another thread) while the next batch
 * runs; two input buffers alternate too, so the next batch's windows can be copied out ({@link #prefetch}) while this
 * one runs. A wrong output shape is diagnosed by one unpinned re-run.
 */
final class PatchRunner implements AutoCloseable {
    private final LoadedModel model;
    private final int nx, ny, nz;
    /** The normalised model-grid image of each input channel, and the value each is padded with outside the grid. */
    private final float[][] images;
    private final float[] pads;
    private final int[] patch;
    private final int patchVoxels, channels, batch;
    private final boolean fixedBatch;
    private final PatchBuffers buffers;
    private final FloatBuffer[] inputs;
    private final FloatBuffer[] outputs;
    /** Per input buffer, the copy of a batch's windows into it started by {@link #prefetch}, or null. */
    private final CompletableFuture<?>[] filling = new CompletableFuture<?>[2];
    private int calls;
    private final JobControl control;
    private long ortNanos, ortCpuNanos;

    PatchRunner(LoadedModel model, int[] sizeXyz, float[] image, float pad, JobControl control) throws OrtException {
        this(model, sizeXyz, new float[][] {image}, new float[] {pad}, control);
    }

    /** Several input channels (one image per series of a multi-series model), all on the same model grid. */
    PatchRunner(LoadedModel model, int[] sizeXyz, float[][] images, float[] pads, JobControl control) throws OrtException {
        this.model = model;
        this.control = control;
        this.nx = sizeXyz[0];
        this.ny = sizeXyz[1];
        this.nz = sizeXyz[2];
        this.images = images;
        this.pads = pads;
        this.patch = model.manifest().input().patchZyx();
        this.patchVoxels = patch[0] * patch[1] * patch[2];
        this.channels = model.modelPackage().labels().size() + 1;
        this.batch = model.manifest().input().batch();
        NodeInfo in = model.session().getInputInfo().get(model.manifest().input().name());
        this.fixedBatch = ((TensorInfo) in.getInfo()).getShape()[0] > 0;
        this.buffers = model.patchBuffers().take(batch * images.length * patchVoxels, batch * channels * patchVoxels);
        this.inputs = buffers.inputs;
        this.outputs = buffers.outputs;
    }

    /** Gives the buffers back to the model once no copy into them is under way; the caller has read the last output. */
    @Override
    public void close() {
        for (CompletableFuture<?> f : filling) if (f != null) f.exceptionally(e -> null).join();
        model.patchBuffers().give(buffers);
    }

    /**
     * Starts copying the windows of the next call to {@link #run} into its input buffer on {@code executor}, once
     * {@code after} is done (the part of the image they read is ready); that call then only waits for the copy. The
     * buffer is the one the previous call used, whose run has returned.
     */
    void prefetch(List<int[]> windows, CompletableFuture<?> after, java.util.concurrent.Executor executor) {
        int slot = (calls + 1) & 1;
        filling[slot] = after.thenRunAsync(() -> fill(inputs[slot], windows), executor);
    }

    int batchSize() {
        return batch;
    }

    long ortNanos() {
        return ortNanos;
    }

    /** Process CPU time spent inside {@code session.run} (meaningful when one job runs at a time). */
    long ortCpuNanos() {
        return ortCpuNanos;
    }

    /**
     * The model's output for {@code windows} (at most {@code batch} of them, each {z, y, x}), as [n, C, pz, py, px]
     * from index 0 of the returned buffer, which the call after next overwrites.
     */
    FloatBuffer run(List<int[]> windows) throws InferenceException {
        control.check();
        int n = fixedBatch ? batch : windows.size();
        int slot = calls & 1;
        FloatBuffer input = inputs[slot];
        if (filling[slot] != null) {
            CompletableFuture<?> f = filling[slot];
            filling[slot] = null;
            try {
                f.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw e;
            }
        } else {
            fill(input, windows);
        }
        long[] inShape = {n, images.length, patch[0], patch[1], patch[2]};
        long[] outShape = {n, channels, patch[0], patch[1], patch[2]};
        String inName = model.manifest().input().name(), outName = model.manifest().output().name();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        FloatBuffer output = outputs[calls++ & 1];
        output.clear().limit(n * channels * patchVoxels);
        try (OnnxTensor in = OnnxTensor.createTensor(env, input, inShape);
             OnnxTensor out = OnnxTensor.createTensor(env, output, outShape)) {
            long t0 = System.nanoTime(), c0 = ProcessCpu.nanos();
            try (OrtSession.Result ignored = model.session().run(Map.of(inName, in), Set.of(), Map.of(outName, out),
                    control.runOptions())) {
                ortNanos += System.nanoTime() - t0;
                ortCpuNanos += ProcessCpu.nanos() - c0;
            } catch (OrtException e) {
                ortNanos += System.nanoTime() - t0;
                control.check(); // a run stopped by the deadline fails as a timeout, not as a runtime error
                throw diagnose(in, e);
            }
        } catch (OrtException e) {
            throw InferenceException.fromRuntime(model.name(), e);
        }
        output.rewind();
        return output;
    }

    /** A failed pinned run is re-run unpinned once, to tell a wrong output shape apart from other failures. */
    private InferenceException diagnose(OnnxTensor in, OrtException pinnedFailure) {
        String name = model.name(), outName = model.manifest().output().name();
        if (InferenceException.isOutOfMemory(pinnedFailure)) return InferenceException.fromRuntime(name, pinnedFailure);
        try (OrtSession.Result r = model.session().run(Map.of(model.manifest().input().name(), in), Set.of(outName))) {
            Optional<OnnxValue> out = r.get(outName);
            if (out.isPresent() && out.get() instanceof OnnxTensor t) {
                long[] got = t.getInfo().getShape();
                return new InferenceException("TSR-0322: model " + name + " output shape " + Arrays.toString(got)
                        + ", expected [" + in.getInfo().getShape()[0] + ", " + channels + ", " + patch[0] + ", " + patch[1]
                        + ", " + patch[2] + "] (C = labels + 1)", pinnedFailure);
            }
            return new InferenceException("TSR-0322: model " + name + " returned no tensor '" + outName + "'", pinnedFailure);
        } catch (OrtException e) {
            return InferenceException.fromRuntime(name, e);
        }
    }

    /** The batch's windows (padding after them up to a fixed batch size) into {@code input}, ready to read. */
    private void fill(FloatBuffer input, List<int[]> windows) {
        int n = fixedBatch ? batch : windows.size();
        input.clear();
        float[] row = new float[patch[2]];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < images.length; c++) { // [N, C, pz, py, px]: each window's channels one after the other
                if (b < windows.size()) fill(input, windows.get(b), row, images[c], pads[c]);
                else for (int v = 0; v < patchVoxels; v++) input.put(pads[c]);
            }
        }
        input.flip();
    }

    /** Appends one window of the image to the input buffer; voxels beyond the grid take the padding value. */
    private void fill(FloatBuffer input, int[] s, float[] row, float[] image, float pad) {
        int inside = Math.max(0, Math.min(patch[2], nx - s[2]));
        Arrays.fill(row, inside, patch[2], pad);
        for (int z = 0; z < patch[0]; z++) {
            int gz = s[0] + z;
            for (int y = 0; y < patch[1]; y++) {
                int gy = s[1] + y;
                if (gz >= nz || gy >= ny) {
                    Arrays.fill(row, 0, inside, pad);
                } else {
                    System.arraycopy(image, (gz * ny + gy) * nx + s[2], row, 0, inside);
                }
                input.put(row);
            }
        }
    }
}
