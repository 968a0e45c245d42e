package io.tessera.routes;

import io.tessera.config.DeliveryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One destination's circuit, kept in the database ({@link DestinationBreakers}) so every delivery node shares it:
 * after {@code breakerFailures} consecutive retryable failures of a DICOM destination, seen by any node, it opens,
 * and no node sends to it until a C-ECHO probe, tried at the backoff interval by whichever node takes the probe turn,
 * succeeds. It survives a restart: a destination that was down stays probed, not flooded, after a rolling restart.
 */
final class CircuitBreaker {
    private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);
    private final String destination;
    private final DestinationBreakers store;
    private final DeliveryConfig config;
    private final DoubleSupplier random;

    CircuitBreaker(String destination, DestinationBreakers store, DeliveryConfig config, DoubleSupplier random) {
        this.destination = destination;
        this.store = store;
        this.config = config;
        this.random = random;
    }

    boolean isOpen() {
        return store.isOpen(destination);
    }

    /**
     * True if entries may be sent now: the circuit is closed, or its probe was due, this node took the probe turn
     * (held for {@code probeHold}, the longest a probe can take) and the probe succeeded (closing it).
     */
    boolean admits(Destination dest, Outbox.Prober prober, Instant now, Duration probeHold) {
        DestinationBreakers.Breaker b = store.get(destination).orElse(null);
        if (b == null || !b.open()) return true;
        if (b.probeAt() != null && now.isBefore(b.probeAt())) return false;
        if (!store.takeProbe(destination, now, now.plus(probeHold))) return false; // another node probes it
        try {
            prober.probe(dest);
            log.info("outbox: destination '{}' answers again; resuming", dest.name());
            store.close(destination, now);
            return true;
        } catch (Deliverer.DeliveryException e) {
            Instant next = store.probeFailed(destination, now,
                    probes -> now.plus(Outbox.backoff(config, probes, random.getAsDouble())));
            log.warn("TSR-0712: destination '{}' still unreachable (circuit open, next probe {}): {}", dest.name(), next,
                    e.getMessage());
            return false;
        }
    }

    /** A send went through; only a destination that has a circuit keeps a count to reset. */
    void succeeded(Destination dest, Instant now) {
        if (dest != null && dest.opensCircuit()) store.succeeded(destination, now);
    }

    /**
     * Counts a retryable failure of a destination that has a circuit (DICOM), opening it at the configured count;
     * returns true if the circuit is open afterwards (this node's failure or another's opened it).
     */
    boolean failed(Destination dest, Instant now) {
        if (dest == null || !dest.opensCircuit()) return false;
        boolean open = store.failed(destination, now, config.breakerFailures(),
                now.plus(Outbox.backoff(config, 1, random.getAsDouble())));
        // logged by the node whose failure reached the count (the others find it open)
        if (open) {
            store.get(destination).filter(b -> b.failures() == config.breakerFailures()).ifPresent(b -> log.warn(
                    "TSR-0715: destination '{}' failed {} time(s) in a row; circuit open, probing with C-ECHO", dest.name(),
                    b.failures()));
        }
        return open;
    }
}
