package io.tessera.routes.cluster;

import io.tessera.core.JobState;
import io.tessera.listener.StudyIndex;
import io.tessera.listener.StudyRecord;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one study version off the broker's queue, inside the consumer's JMS transaction: takes its lease, renews it
 * every heartbeat while the study is processed, gives it up at the end. The message is acknowledged (the transaction
 * commits) when this returns: after the study was processed — failures inside a job are recorded by the processor
 * and acknowledged too — or when there is nothing to do (another node holds a live lease: it finishes, and if it dies
 * the sweep republishes; the version is no longer current). Only a crash, which never returns, lets the broker
 * redeliver. A version whose lease lapsed {@code maxTakeovers} times kills its workers: it is FAILED with the reason
 * and dead-lettered instead of being tried again.
 */
public final class StudyWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StudyWorker.class);

    /** The study processor as the worker drives it. */
    public interface Processor {
        void process(String studyUid);

        /** True once the node is stopping: a job it terminated handed its study back (QUEUED). */
        boolean stopping();
    }

    private final StudyIndex index;
    private final StudyLeases leases;
    private final Processor processor;
    private final StudyQueue queue;
    private final Consumer<StudyVersion> deadLetter;
    private final int maxTakeovers;
    private final Duration heartbeat;
    private final Set<StudyVersion> mine = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lease-heartbeat");
        t.setDaemon(true);
        return t;
    });

    public StudyWorker(StudyIndex index, StudyLeases leases, Processor processor, StudyQueue queue,
                       Consumer<StudyVersion> deadLetter, int maxTakeovers, Duration heartbeat) {
        this.index = index;
        this.leases = leases;
        this.processor = processor;
        this.queue = queue;
        this.deadLetter = deadLetter;
        this.maxTakeovers = maxTakeovers;
        this.heartbeat = heartbeat;
    }

    /** The queue consumer's body: {@code uid@version}. */
    public void handle(String body) {
        StudyVersion v = StudyVersion.parse(body);
        if (processor.stopping()) throw new IllegalStateException("TSR-1006: node stopping; the message goes back to the queue");
        if (!mine.add(v)) return; // a republished copy of a version this node is processing now
        try {
            work(v);
        } finally {
            mine.remove(v);
        }
    }

    private void work(StudyVersion v) {
        StudyRecord study = index.study(v.studyUid()).orElse(null);
        if (study == null || study.version() != v.version() || !study.state().name().matches("QUEUED|RUNNING|COMPLETE")) {
            log.info("study {} v{}: not waiting for a worker (now v{} {}); message void", v.studyUid(), v.version(),
                    study == null ? "-" : study.version(), study == null ? "gone" : study.state());
            return;
        }
        Lease lease = leases.acquire(v.studyUid(), v.version());
        if (!lease.acquired()) {
            log.info("study {} v{} is leased to node {}; it finishes it", v.studyUid(), v.version(), lease.holder());
            return;
        }
        try {
            if (lease.takeover() && lease.takeovers() >= maxTakeovers) {
                String reason = "TSR-1004: the worker processing it stopped " + lease.takeovers() + " times without finishing"
                        + " (lease lapsed); dead-lettered";
                log.error("study {} v{}: {}", v.studyUid(), v.version(), reason);
                index.setState(v.studyUid(), v.version(), JobState.FAILED, reason);
                deadLetter.accept(v);
                return;
            }
            if (lease.takeover() && index.handBack(v.studyUid(), v.version())) {
                log.warn("TSR-1005: study {} v{}: the lease of its last worker lapsed (takeover {} of {}); processing again",
                        v.studyUid(), v.version(), lease.takeovers(), maxTakeovers);
            }
            ScheduledFuture<?> beat = beats.scheduleAtFixedRate(() -> renew(v), heartbeat.toMillis(), heartbeat.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                processor.process(v.studyUid());
            } finally {
                beat.cancel(false);
            }
        } finally {
            leases.release(v.studyUid(), v.version());
        }
        // a job the stopping node terminated handed its study back: another node takes it now
        if (processor.stopping() && index.study(v.studyUid()).filter(s -> s.state() == JobState.QUEUED).isPresent()) {
            queue.republish(v);
        }
    }

    private void renew(StudyVersion v) {
        try {
            if (!leases.heartbeat(v.studyUid(), v.version())) {
                log.warn("TSR-1007: study {} v{}: this node's lease lapsed and another node took it", v.studyUid(), v.version());
            }
        } catch (RuntimeException e) {
            log.warn("TSR-1007: study {} v{}: lease not renewed: {}", v.studyUid(), v.version(), e.getMessage());
        }
    }

    /** Study versions this node is processing now. */
    public Set<StudyVersion> processing() {
        return Set.copyOf(mine);
    }

    @Override
    public void close() {
        beats.shutdownNow();
    }
}
