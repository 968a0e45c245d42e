package io.tessera.routes.cluster;

import io.tessera.config.ClusterConfig;
import io.tessera.config.NodeConfig;
import io.tessera.routes.CompletionPoller;
import io.tessera.routes.ErrorPolicy;
import org.apache.camel.builder.RouteBuilder;

/**
 * Wiring of a node in a distributed cluster, by role. {@code ingest}: the completion poller claims quiet studies and
 * publishes each (after the claim's commit) to the broker's queue. {@code worker}: consumes the queue transacted
 * ({@link StudyWorker}). Every node: the sweep ({@link Reconciler}) and its beat in the node registry. Anything that
 * re-queues a study (a release trigger, a report) sends its UID to {@value #PUBLISH}.
 */
public final class ClusterRoutes extends RouteBuilder {
    public static final String PUBLISH = "seda:publish-study";
    private final ClusterConfig cluster;
    private final NodeConfig node;
    private final CompletionPoller poller;
    private final StudyQueue queue;
    private final StudyWorker worker;
    private final Reconciler reconciler;
    private final int consumers;
    private final long pollMillis;

    public ClusterRoutes(ClusterConfig cluster, NodeConfig node, CompletionPoller poller, StudyQueue queue, StudyWorker worker,
                         Reconciler reconciler, int consumers, long pollMillis) {
        this.cluster = cluster;
        this.node = node;
        this.poller = poller;
        this.queue = queue;
        this.worker = worker;
        this.reconciler = reconciler;
        this.consumers = consumers;
        this.pollMillis = pollMillis;
    }

    @Override
    public void configure() {
        from(PUBLISH).routeId("publish-study").routeConfigurationId(ErrorPolicy.ID).bean(queue, "publish(${body})");
        if (node.has("ingest")) {
            from("timer:completion?period=" + pollMillis).routeId("completion").routeConfigurationId(ErrorPolicy.ID)
                    .bean(poller, "claim").split(body()).to(PUBLISH);
        }
        if (node.has("worker")) {
            // no error policy: an exception must roll the JMS transaction back (the broker redelivers)
            from(Broker.consumer(cluster, consumers)).routeId("cluster-work").convertBodyTo(String.class)
                    .bean(worker, "handle(${body})");
        }
        from("timer:reconcile?period=" + cluster.reconcileEvery().toMillis()).routeId("reconcile")
                .routeConfigurationId(ErrorPolicy.ID).bean(reconciler, "sweep");
    }
}
