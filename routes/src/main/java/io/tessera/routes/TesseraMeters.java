package io.tessera.routes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The processing path's metrics, recorded into Micrometer's global registry (the server adds its Prometheus registry
 * to it; without one, recording costs next to nothing). Names follow Prometheus conventions once exported
 * ({@code tessera_job_seconds_bucket{model=...}}). Tags never carry patient data: only model, provider, destination,
 * channel, outcome and error code.
 */
public final class TesseraMeters {
    private TesseraMeters() {}

    /** One job from start to end (load, inference, encoding, FHIR, outbox), by model, provider and outcome. */
    public static void job(String model, String provider, String outcome, Duration took) {
        Timer.builder("tessera.job").description("Time of a job from start to end, by model, provider and outcome")
                .tags("model", model, "provider", provider, "outcome", outcome).publishPercentileHistogram()
                .register(Metrics.globalRegistry).record(took);
    }

    /** The model's own time within a job (ONNX Runtime inference, with its pre- and post-processing). */
    public static void model(String model, String provider, Duration took) {
        Timer.builder("tessera.job.model").description("Model inference time within a job")
                .tags("model", model, "provider", provider).publishPercentileHistogram()
                .register(Metrics.globalRegistry).record(took);
    }

    /** How long a completed study waited after its last instance (the quiet period as it played out). */
    public static void completionWait(Duration waited) {
        Timer.builder("tessera.completion.wait").description("From a study's last instance to its completion")
                .publishPercentileHistogram().register(Metrics.globalRegistry).record(waited);
    }

    /** One delivery attempt to a destination, and its outcome (sent, retry, parked). */
    public static void delivery(String destination, String outcome) {
        Counter.builder("tessera.outbox.attempts").description("Delivery attempts by destination and outcome")
                .tags("destination", destination, "outcome", outcome).register(Metrics.globalRegistry).increment();
    }

    /**
     * Registers, at zero, the counters that appear only when something happens: each destination's attempt outcomes
     * and each report channel's outcomes, so dashboards and alerts see a series (0) rather than none.
     */
    public static void declare(java.util.Collection<String> destinations) {
        for (String d : destinations) {
            for (String outcome : new String[] {"sent", "retry", "parked"}) {
                Counter.builder("tessera.outbox.attempts").description("Delivery attempts by destination and outcome")
                        .tags("destination", d, "outcome", outcome).register(Metrics.globalRegistry);
            }
        }
        for (io.tessera.routes.reports.ReportSource source : io.tessera.routes.reports.ReportSource.values()) {
            for (String outcome : new String[] {"stored", "duplicate", "rejected"}) {
                Counter.builder("tessera.reports").description("Reports received by channel and outcome")
                        .tags("channel", source.name().toLowerCase(java.util.Locale.ROOT), "outcome", outcome)
                        .register(Metrics.globalRegistry);
            }
        }
    }

    /** A report taken in (or refused) by channel: hl7, fhir, rest, sr. */
    public static void report(String channel, String outcome) {
        Counter.builder("tessera.reports").description("Reports received by channel and outcome")
                .tags("channel", channel, "outcome", outcome).register(Metrics.globalRegistry).increment();
    }
}
