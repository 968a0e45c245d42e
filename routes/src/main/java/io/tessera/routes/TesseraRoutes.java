package io.tessera.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * Wiring only: completion polling feeds the study queue; the queue feeds the study processor. The queue is an
 * in-process SEDA queue; the index, not the queue, is the durable record (unfinished studies are re-queued at start).
 */
public final class TesseraRoutes extends RouteBuilder {
    public static final String STUDY_QUEUE = "seda:studies";
    private final CompletionPoller poller;
    private final StudyProcessor processor;
    private final int workers;
    private final long pollMillis;

    public TesseraRoutes(CompletionPoller poller, StudyProcessor processor, int workers, long pollMillis) {
        this.poller = poller;
        this.processor = processor;
        this.workers = workers;
        this.pollMillis = pollMillis;
    }

    @Override
    public void configure() {
        from("timer:completion?period=" + pollMillis)
                .routeId("completion")
                .routeConfigurationId(ErrorPolicy.ID)
                .bean(poller, "claim")
                .split(body())
                .to(STUDY_QUEUE + "?waitForTaskToComplete=Never");

        from(STUDY_QUEUE + "?concurrentConsumers=" + workers)
                .routeId("process-study")
                .routeConfigurationId(ErrorPolicy.ID)
                .bean(processor, "process");
    }
}
