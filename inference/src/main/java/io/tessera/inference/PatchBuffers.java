package io.tessera.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The direct buffers one job hands to ONNX Runtime (two alternating input and output batches), kept by the
 * model and reused by its next job. A fresh 10 MB direct buffer is zeroed page by page on every job; on virtual
 * machines where a first touch of a page is expensive that alone cost ~25 ms per job on the reference model. At most
 * {@code jobsPerDevice} sets exist, since only that many jobs run a model at once.
 */
final class PatchBuffers {
    final FloatBuffer[] inputs;
    final FloatBuffer[] outputs;

    private PatchBuffers(int inputFloats, int outputFloats) {
        inputs = new FloatBuffer[] {direct(inputFloats), direct(inputFloats)};
        outputs = new FloatBuffer[] {direct(outputFloats), direct(outputFloats)};
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(floats, 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** A model's idle sets. */
    static final class Pool {
        private final ConcurrentLinkedDeque<PatchBuffers> idle = new ConcurrentLinkedDeque<>();

        /** An idle set of these sizes, or a new one (sizes are fixed per model, so a mismatch only happens in tests). */
        PatchBuffers take(int inputFloats, int outputFloats) {
            PatchBuffers b = idle.pollFirst();
            if (b != null && b.inputs[0].capacity() == inputFloats && b.outputs[0].capacity() == outputFloats) return b;
            return new PatchBuffers(inputFloats, outputFloats);
        }

        void give(PatchBuffers b) {
            idle.offerFirst(b);
        }
    }
}
