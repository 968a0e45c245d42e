package io.tessera.inference;

import ai.onnxruntime.OrtException;
import io.tessera.core.Coded;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A segmentation that failed. The message starts with a stable code ({@code TSR-03xx}) and names the model;
 * {@link #code()} gives the code alone, so a job record can store it beside the message. Only the job that hit it
 * fails: the session, the registry and other jobs go on.
 */
public final class InferenceException extends Exception implements Coded {
    /** ONNX Runtime failed in a way not listed below. */
    public static final String RUNTIME = "TSR-0320";
    /** ONNX Runtime (or the device behind it) ran out of memory. */
    public static final String OUT_OF_MEMORY = "TSR-0321";
    /** The output tensor does not have the shape [N, labels + 1, patch]. */
    public static final String OUTPUT_SHAPE = "TSR-0322";
    /** The output held NaN. */
    public static final String OUTPUT_NAN = "TSR-0323";
    /** Not a segmentation model. */
    public static final String NOT_SEGMENTATION = "TSR-0324";
    /** The model grid would not fit in the heap. */
    public static final String GRID_TOO_LARGE = "TSR-0325";
    /** The job ran past {@code inference.jobTimeout}. */
    public static final String TIMEOUT = "TSR-0326";
    /** The output held +/- infinity. */
    public static final String OUTPUT_INFINITE = "TSR-0327";
    /** The job's thread was interrupted (shutdown or cancellation) while waiting for or using the device. */
    public static final String INTERRUPTED = "TSR-0328";
    /** The server is stopping: the job was terminated so that the session can be closed; it is not a failure. */
    public static final String STOPPED = "TSR-0329";

    private static final Pattern CODE = Pattern.compile("^(TSR-\\d{4})");

    /** Fixed when the failure is made: every message here starts with its code, so a record never re-reads the text. */
    private final String code;

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
        this.code = codeOf(message);
    }

    public InferenceException(String message) {
        super(message);
        this.code = codeOf(message);
    }

    private static String codeOf(String message) {
        Matcher m = CODE.matcher(String.valueOf(message));
        return m.find() ? m.group(1) : RUNTIME;
    }

    /** True when the job was stopped for a shutdown, not failed ({@link #STOPPED}). */
    public boolean stopped() {
        return STOPPED.equals(code());
    }

    /** The stable code the message starts with ({@code TSR-0326}), or {@link #RUNTIME} if it has none. */
    @Override
    public String code() {
        return code;
    }

    /** An ONNX Runtime failure of a run: out of memory gets its own code, anything else {@link #RUNTIME}. */
    static InferenceException fromRuntime(String model, OrtException e) {
        if (isOutOfMemory(e)) {
            return new InferenceException(OUT_OF_MEMORY + ": model " + model + ": ONNX Runtime ran out of memory: " + e.getMessage(), e);
        }
        return new InferenceException(RUNTIME + ": model " + model + ": ONNX Runtime failed: " + e.getMessage(), e);
    }

    /** ONNX Runtime reports allocation failures only in its message (BFCArena, CUDA, std::bad_alloc). */
    static boolean isOutOfMemory(OrtException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("out of memory") || m.contains("bad_alloc") || m.contains("bad allocation")
                || m.contains("failed to allocate memory") || m.contains("cudaerrormemoryallocation");
    }
}
