package io.tessera.inference;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * One fair semaphore per device ({@code cpu}, {@code gpu:0}, …) with {@code jobsPerDevice} permits: every model whose
 * session runs on that device shares it, so several models (of one study or of several) can run at once without
 * oversubscribing the device. Fair, so a waiting job is not overtaken indefinitely.
 */
final class DeviceGates {
    private final int permits;
    private final Map<String, Semaphore> gates = new ConcurrentHashMap<>();

    DeviceGates(int permits) {
        this.permits = permits;
    }

    Semaphore of(String device) {
        return gates.computeIfAbsent(device, d -> new Semaphore(permits, true));
    }
}
