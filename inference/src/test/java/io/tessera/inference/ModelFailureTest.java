package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.tessera.core.Grid;
import io.tessera.core.Volume;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that misbehaves (NaN or infinite output, wrong shape, too slow, out of memory) fails its own job with a
 * stable code; the session, the device slot and other jobs are unaffected. Models: src/test/python/make_test_models.py.
 */
class ModelFailureTest {
    private static final Grid SMALL = Grid.axial(20, 18, 10, new double[] {0, 0, 0}, new double[] {2, 2, 2});
    @TempDir Path tmp;
    private final Segmenter segmenter = new Segmenter();

    private ModelRegistry registry(InferenceSettings settings, String... folders) {
        for (String f : folders) TestModels.copy(f, tmp.resolve(f), y -> y);
        ModelRegistry r = ModelRegistry.load(List.of(tmp), settings);
        assertTrue(r.problems().isEmpty(), r.problems().toString());
        return r;
    }

    @Test
    void nan_and_infinite_outputs_fail_the_job_with_their_own_codes() {
        try (ModelRegistry r = registry(InferenceSettings.cpu(), "nan-output", "inf-output")) {
            Volume v = SegmenterTest.smoothPhantom(SMALL);
            InferenceException nan = assertThrows(InferenceException.class, () -> segmenter.segment(r.get("test-nan-output").orElseThrow(), v));
            assertEquals(InferenceException.OUTPUT_NAN, nan.code());
            assertEquals("TSR-0323: model test-nan-output produced NaN outputs", nan.getMessage());
            InferenceException inf = assertThrows(InferenceException.class, () -> segmenter.segment(r.get("test-inf-output").orElseThrow(), v));
            assertEquals(InferenceException.OUTPUT_INFINITE, inf.code());
            assertEquals("TSR-0327: model test-inf-output produced infinite outputs", inf.getMessage());
        }
    }

    @Test
    void a_wrong_output_shape_has_its_code() {
        try (ModelRegistry r = registry(InferenceSettings.cpu(), "broken-strided")) {
            InferenceException e = assertThrows(InferenceException.class,
                    () -> segmenter.segment(r.get("test-broken-strided").orElseThrow(), Volume.zeros(SMALL)));
            assertEquals(InferenceException.OUTPUT_SHAPE, e.code());
        }
    }

    @Test
    void a_slow_model_is_stopped_mid_run_at_the_job_timeout_and_frees_its_device_slot() throws Exception {
        InferenceSettings settings = InferenceSettings.cpu().withJobsPerDevice(1).withJobTimeout(Duration.ofMillis(300));
        try (ModelRegistry r = registry(settings, "slow", "threshold-dynamic")) {
            LoadedModel slow = r.get("test-slow").orElseThrow();
            long t0 = System.nanoTime();
            InferenceException e = assertThrows(InferenceException.class, () -> segmenter.segment(slow, SegmenterTest.smoothPhantom(SMALL)));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(InferenceException.TIMEOUT, e.code(), e.getMessage());
            assertEquals("TSR-0326: model test-slow did not finish within the job timeout of 300 ms (inference.jobTimeout)", e.getMessage());
            // ONNX Runtime was told to stop: the run ends one graph node after the deadline, not after all 120 links
            assertTrue(seconds < 1.5, "timed out after " + seconds + " s");
            assertEquals(1, slow.deviceSlots().availablePermits(), "the slot is free again");
            SegmentationOutput ok = segmenter.segment(r.get("test-threshold").orElseThrow(), SegmenterTest.smoothPhantom(SMALL));
            assertEquals(SMALL, ok.labels().grid());
        }
    }

    @Test
    void jobs_beyond_the_per_device_limit_wait_for_a_slot() throws Exception {
        InferenceSettings settings = InferenceSettings.cpu().withJobsPerDevice(1).withJobTimeout(Duration.ofMillis(1000));
        try (ModelRegistry r = registry(settings, "slow", "threshold-dynamic")) {
            LoadedModel slow = r.get("test-slow").orElseThrow(), fast = r.get("test-threshold").orElseThrow();
            assertEquals(slow.deviceSlots(), fast.deviceSlots(), "both run on the CPU: one set of slots");
            Volume v = SegmenterTest.smoothPhantom(SMALL);
            CompletableFuture<SegmentationOutput> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return segmenter.segment(slow, v);
                } catch (InferenceException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (slow.deviceSlots().availablePermits() > 0 && !first.isDone() && System.nanoTime() < deadline) Thread.onSpinWait();
            SegmentationOutput second = segmenter.segment(fast, v);
            // the slot is released just before the slow job's exception reaches its future: wait for it, bounded
            java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> first.get(10, java.util.concurrent.TimeUnit.SECONDS), "the slow job timed out");
            assertTrue(String.valueOf(failed.getCause().getMessage()).contains("TSR-0326"), failed.getCause().toString());
            long waitedMs = second.stageNanos().get("deviceWait") / 1_000_000;
            assertTrue(waitedMs > 300, "the second job waited only " + waitedMs + " ms for the slot");
        }
    }

    @Test
    void a_failing_job_leaves_a_concurrent_job_on_the_same_device_running() throws Exception {
        try (ModelRegistry r = registry(InferenceSettings.cpu(), "nan-output", "threshold-dynamic")) {
            Volume v = SegmenterTest.smoothPhantom(Grid.axial(60, 50, 24, new double[] {0, 0, 0}, new double[] {1, 1, 2}));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<SegmentationOutput> bad = pool.submit(() -> segmenter.segment(r.get("test-nan-output").orElseThrow(), v));
                Future<SegmentationOutput> good = pool.submit(() -> segmenter.segment(r.get("test-threshold").orElseThrow(), v));
                java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class, bad::get);
                assertEquals(InferenceException.OUTPUT_NAN, ((InferenceException) e.getCause()).code());
                assertTrue(good.get().labels().dice(SegmenterTest.threshold(v), 1) > 0.98);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void onnx_runtime_out_of_memory_gets_its_own_code_and_other_failures_the_generic_one() {
        InferenceException oom = InferenceException.fromRuntime("m", new OrtException(
                "[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Non-zero status code returned while running Conv node. "
                        + "Status Message: Failed to allocate memory for requested buffer of size 4294967296"));
        assertEquals(InferenceException.OUT_OF_MEMORY, oom.code());
        assertTrue(oom.getMessage().startsWith("TSR-0321: model m: ONNX Runtime ran out of memory: "), oom.getMessage());
        assertEquals(InferenceException.OUT_OF_MEMORY, InferenceException.fromRuntime("m",
                new OrtException("CUDA failure 2: out of memory ; GPU=0")).code());
        assertEquals(InferenceException.RUNTIME, InferenceException.fromRuntime("m", new OrtException("invalid input")).code());
        assertEquals(InferenceException.RUNTIME, new InferenceException("no code here").code());
    }
}
