package io.tessera.inference;

import java.lang.management.ManagementFactory;

/**
 * CPU time consumed by the whole process so far (all threads, ONNX Runtime's native ones included), or -1 where the
 * JVM cannot tell. On a shared machine wall-clock times swing with other load; CPU time says what the work itself
 * cost, so segmentation reports both (stages {@code cpu:ort} and {@code cpu:total}).
 */
final class ProcessCpu {
    private static final java.lang.management.OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

    static long nanos() {
        return OS instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    private ProcessCpu() {}
}
