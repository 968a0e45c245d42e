package io.tessera.routes;

import io.tessera.config.DeliveryConfig;
import java.time.Instant;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One destination's circuit, in memory: after {@code breakerFailures} consecutive retryable failures of a DICOM
 * destination it opens, and nothing is sent until a C-ECHO probe, tried at the backoff interval, succeeds. Changed
 * only by its destination's worker, one at a time; {@link #isOpen()} may be read from any thread.
 */
final class CircuitBreaker {
    private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);
    private final DeliveryConfig config;
    private final DoubleSupplier random;
    private volatile boolean open;
    private int failures;
    private int probes;
    private Instant probeAt = Instant.EPOCH;

    CircuitBreaker(DeliveryConfig config, DoubleSupplier random) {
        this.config = config;
        this.random = random;
    }

    boolean isOpen() {
        return open;
    }

    /** True if entries may be sent now: the circuit is closed, or its probe was due and succeeded (closing it). */
    boolean admits(Destination dest, Outbox.Prober prober, Instant now) {
        if (!open) return true;
        if (now.isBefore(probeAt)) return false;
        try {
            prober.probe(dest);
            log.info("outbox: destination '{}' answers again; resuming", dest.name());
            open = false;
            failures = 0;
            return true;
        } catch (Deliverer.DeliveryException e) {
            probes++;
            probeAt = now.plus(Outbox.backoff(config, probes, random.getAsDouble()));
            log.warn("TSR-0712: destination '{}' still unreachable (circuit open, next probe {}): {}", dest.name(), probeAt,
                    e.getMessage());
            return false;
        }
    }

    void succeeded() {
        failures = 0;
    }

    /** Counts a retryable failure; opens the circuit of a destination that has one (DICOM) at the configured count. */
    void failed(Destination dest, Instant now) {
        failures++;
        if (dest != null && dest.opensCircuit() && !open && failures >= config.breakerFailures()) {
            open = true;
            probes = 0;
            probeAt = now.plus(Outbox.backoff(config, 1, random.getAsDouble()));
            log.warn("TSR-0715: destination '{}' failed {} time(s) in a row; circuit open, probing with C-ECHO", dest.name(),
                    failures);
        }
    }
}
