package io.tessera.routes.reports;

import java.util.List;

/**
 * Told when a new report has been stored (never for a duplicate), so that work waiting for it can start: the
 * composition root re-queues grounding of a study whose images were already processed. A report that arrives before
 * its images needs no call: the study's processing finds it with {@link ReportStore#findFor}.
 *
 * <p>Called on the intake's thread (MLLP consumer, HTTP request) after the report is durable and before the sender is
 * answered: return quickly (hand the work to a queue). An exception is logged and does not fail the intake.
 */
@FunctionalInterface
public interface ReportArrivals {
    ReportArrivals NONE = (report, studyUids) -> {};

    /**
     * @param studyUids the studies this report is known to belong to: its own Study Instance UID, and the studies
     *                  {@link ReportStore#linkStudy linked} to its accession number; empty when none is known yet
     */
    void reportArrived(Report report, List<String> studyUids);
}
