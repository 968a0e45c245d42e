package io.tessera.routes.cluster;

import io.tessera.listener.StudyIndex;
import io.tessera.listener.StudyRecord;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts study versions on the broker's queue, after the claim that made them QUEUED has committed (a message never
 * names a claim that could still roll back), with the study's {@link MessagePriority}, and records the publication.
 * A publication that fails is logged and left to the sweep ({@link Reconciler}), which republishes what no message or
 * lease covers.
 */
public final class StudyQueue {
    private static final Logger log = LoggerFactory.getLogger(StudyQueue.class);
    private final StudyIndex index;
    private final Publications publications;
    private final ToIntFunction<String> priorities;
    private final ProducerTemplate producer;
    private final String endpoint;

    /** @param endpoint the queue's Camel endpoint, e.g. {@code jms:queue:tessera.studies} */
    public StudyQueue(StudyIndex index, Publications publications, ToIntFunction<String> priorities, ProducerTemplate producer,
                      String endpoint) {
        this.index = index;
        this.publications = publications;
        this.priorities = priorities;
        this.producer = producer;
        this.endpoint = endpoint;
    }

    /** Publishes the study's current version (the completion step and every re-queue call this). */
    public void publish(String studyUid) {
        StudyRecord study = index.study(studyUid).orElse(null);
        if (study == null) return;
        publish(new StudyVersion(studyUid, study.version()), study.callingAe());
    }

    /** Publishes {@code v}; false (logged) when the broker cannot be reached: the sweep publishes it later. */
    public boolean publish(StudyVersion v, String callingAe) {
        try {
            producer.sendBodyAndHeaders(endpoint, v.body(), Map.of("JMSPriority", priorities.applyAsInt(callingAe)));
        } catch (RuntimeException e) {
            log.warn("TSR-1003: study {} v{} not put on the queue ({}); the sweep republishes it", v.studyUid(), v.version(),
                    e.getMessage());
            return false;
        }
        publications.published(v);
        log.info("study {} v{} queued for the workers", v.studyUid(), v.version());
        return true;
    }

    /** Republishes a version the sweep found uncovered. */
    public boolean republish(StudyVersion v) {
        StudyRecord study = index.study(v.studyUid()).orElse(null);
        return study != null && study.version() == v.version() && publish(v, study.callingAe());
    }
}
