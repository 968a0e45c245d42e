package io.tessera.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tessera.core.JobState;
import io.tessera.listener.DicomListener;
import io.tessera.listener.ListenerCounters;
import io.tessera.listener.StudyIndex;
import io.tessera.routes.Outbox;
import io.tessera.routes.OutboxEntry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * What the server exposes at {@code /metrics} in the Prometheus text format: the processing path's own meters
 * ({@code TesseraMeters}: jobs, model time, completion wait, delivery attempts, reports), the DICOM listener's
 * counters, studies by state and outbox entries by destination and state (read from the index when scraped), circuit
 * breakers, and the JVM's and Jetty's. No label carries patient data.
 */
final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge studies;
    private final MultiGauge outboxEntries;
    private final MultiGauge breakers;
    private final StudyIndex index;
    private final Outbox outbox;
    private final Supplier<List<String>> destinations;
    private JvmGcMetrics gc;

    ServerMetrics(StudyIndex index, Outbox outbox, Supplier<List<String>> destinations) {
        this.index = index;
        this.outbox = outbox;
        this.destinations = destinations;
        Metrics.addRegistry(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        studies = MultiGauge.builder("tessera.studies").description("Studies in the index by state").register(registry);
        outboxEntries = MultiGauge.builder("tessera.outbox.entries")
                .description("Outbox entries not yet sent, by destination and state").register(registry);
        breakers = MultiGauge.builder("tessera.outbox.circuit.open")
                .description("1 while a destination's circuit breaker is open").register(registry);
        io.tessera.routes.TesseraMeters.declare(destinations.get());
    }

    /** The DICOM listener's counters (read from its snapshot at each scrape). */
    void bindListener(DicomListener listener) {
        counter("tessera.dicom.instances.received", "C-STORE answered Success", listener, ListenerCounters::instancesStored);
        counter("tessera.dicom.received.bytes", "Data set bytes of the instances answered Success", listener,
                ListenerCounters::bytesStored);
        String refused = "tessera.dicom.instances.refused";
        String d = "C-STORE answered with a failure status, by reason";
        counter(refused, d, listener, ListenerCounters::studyLimitRejections, "reason", "study-size-limit");
        counter(refused, d, listener, ListenerCounters::oversizedInstances, "reason", "instance-size-limit");
        counter(refused, d, listener, ListenerCounters::malformedInstances, "reason", "malformed");
        counter(refused, d, listener, ListenerCounters::invalidUids, "reason", "invalid-uid");
        String assoc = "tessera.dicom.associations";
        String a = "Associations and connections, by outcome";
        counter(assoc, a, listener, ListenerCounters::associationsAccepted, "outcome", "accepted");
        counter(assoc, a, listener, ListenerCounters::refusedCallingAe, "outcome", "refused-calling-ae");
        counter(assoc, a, listener, ListenerCounters::refusedCalledAe, "outcome", "refused-called-ae");
        counter(assoc, a, listener, ListenerCounters::refusedAssociationLimit, "outcome", "refused-limit");
        counter(assoc, a, listener, ListenerCounters::tlsHandshakeFailures, "outcome", "tls-failed");
        counter(assoc, a, listener, ListenerCounters::nonDicomConnections, "outcome", "not-dicom");
        counter(assoc, a, listener, ListenerCounters::associateTimeouts, "outcome", "timeout");
        counter(assoc, a, listener, ListenerCounters::refusedPerSource, "outcome", "refused-per-source");
        counter(assoc, a, listener, ListenerCounters::refusedAdmissionFull, "outcome", "refused-busy");
        counter(assoc, a, listener, ListenerCounters::abortedAssociations, "outcome", "aborted");
        Gauge.builder("tessera.dicom.associations.active", listener, l -> l.counters().activeAssociations())
                .description("Associations open now").register(registry);
    }

    /** Jetty's request thread pool on the HTTP port (busy, idle, queued, limits). */
    void bindJetty(org.eclipse.jetty.server.Server server) {
        new io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics(server.getThreadPool(), Tags.empty())
                .bindTo(registry);
    }

    /** The text a Prometheus server scrapes; the index-backed gauges are read now. */
    String scrape() {
        refresh();
        return registry.scrape();
    }

    private void refresh() {
        Map<JobState, Integer> byState = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) byState.put(s, 0);
        byState.putAll(index.countByState());
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        byState.forEach((s, n) -> rows.add(MultiGauge.Row.of(Tags.of("state", s.name()), n)));
        studies.register(rows, true);
        Map<String, Integer> open = new TreeMap<>();
        for (String d : destinations.get()) {
            open.put(d + "\u0000" + OutboxEntry.State.PENDING, 0);
            open.put(d + "\u0000" + OutboxEntry.State.PARKED, 0);
        }
        for (OutboxEntry e : outbox.store().open()) open.merge(e.destination() + "\u0000" + e.state(), 1, Integer::sum);
        List<MultiGauge.Row<?>> outRows = new ArrayList<>();
        open.forEach((k, n) -> {
            String[] p = k.split("\u0000");
            outRows.add(MultiGauge.Row.of(Tags.of("destination", p[0], "state", p[1]), n));
        });
        outboxEntries.register(outRows, true);
        List<MultiGauge.Row<?>> breakerRows = new ArrayList<>();
        for (String d : destinations.get()) breakerRows.add(MultiGauge.Row.of(Tags.of("destination", d), outbox.circuitOpen(d) ? 1 : 0));
        breakers.register(breakerRows, true);
    }

    private void counter(String name, String description, DicomListener listener, ToDoubleFunction<ListenerCounters> f,
                         String... tags) {
        FunctionCounter.builder(name, listener, l -> f.applyAsDouble(l.counters())).description(description).tags(tags)
                .register(registry);
    }

    @Override
    public void close() {
        Metrics.removeRegistry(registry);
        if (gc != null) gc.close();
        registry.close();
    }
}
