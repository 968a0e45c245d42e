package io.tessera.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Measures the peak heap in use while a piece of work runs: a daemon thread samples the heap's used bytes every
 * millisecond (a lower bound of the true peak), and the heap pools' own peak counters are reset at the start and
 * summed at the end (an upper bound: each pool peaks at its own moment). Both include whatever else is live, e.g.
 * the input volume.
 */
final class HeapSampler implements AutoCloseable {
    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long sampledPeak;

    HeapSampler() {
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        thread = new Thread(this::sample, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        var memory = ManagementFactory.getMemoryMXBean();
        while (running) {
            sampledPeak = Math.max(sampledPeak, memory.getHeapMemoryUsage().getUsed());
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Highest sampled heap use, bytes. */
    long sampledPeak() {
        return sampledPeak;
    }

    /** Sum of the heap pools' peak usage since the start, bytes. */
    long poolPeakSum() {
        return pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
