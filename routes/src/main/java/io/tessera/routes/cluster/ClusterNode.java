package io.tessera.routes.cluster;

import io.tessera.config.TesseraConfig;
import io.tessera.listener.IndexPool;
import io.tessera.listener.StudyIndex;
import io.tessera.routes.CompletionPoller;
import io.tessera.routes.StudyProcessor;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * Puts together one node of a distributed cluster from its configuration, for the composition root: the broker
 * component, the study queue, leases, the sweep and (with the {@code worker} role) the queue consumer, as
 * {@link ClusterRoutes}. {@link #close()} (after the routes stopped) lets the node leave the registry.
 */
public final class ClusterNode implements AutoCloseable {
    private final ClusterRoutes routes;
    private final StudyWorker worker;
    private final NodeRegistry registry;
    private final String id;

    private ClusterNode(ClusterRoutes routes, StudyWorker worker, NodeRegistry registry, String id) {
        this.routes = routes;
        this.worker = worker;
        this.registry = registry;
        this.id = id;
    }

    /** Registers the broker component on {@code camel} and builds the node's routes (not yet added). */
    public static ClusterNode of(TesseraConfig config, CamelContext camel, IndexPool db, StudyIndex index,
                                 CompletionPoller poller, StudyProcessor processor, Clock clock) {
        var cluster = config.cluster();
        var node = config.node();
        Broker.register(camel, cluster);
        Publications publications = new Publications(db, cluster.lease(), clock);
        StudyQueue queue = new StudyQueue(index, publications, new MessagePriority(config.routes()),
                camel.createProducerTemplate(), Broker.producer(cluster));
        ProducerTemplate dead = camel.createProducerTemplate();
        StudyWorker worker = !node.has("worker") ? null : new StudyWorker(index,
                new StudyLeases(db, node.id(), cluster.lease(), clock), new StudyWorker.Processor() {
                    @Override public void process(String studyUid) { processor.process(studyUid); }
                    @Override public boolean stopping() { return processor.stopping(); }
                }, queue, v -> dead.sendBody(Broker.deadLetters(cluster), v.body()), cluster.maxTakeovers(), cluster.heartbeat());
        NodeRegistry registry = new NodeRegistry(db, cluster.lease(), clock);
        registry.beat(node.id(), node.roles());
        Reconciler reconciler = new Reconciler(publications, queue, registry, node.id(), node.roles());
        return new ClusterNode(new ClusterRoutes(cluster, node, poller, queue, worker, reconciler,
                config.inference().maxConcurrentJobs(), 200), worker, registry, node.id());
    }

    public ClusterRoutes routes() {
        return routes;
    }

    /** Where a re-queued study's UID goes (a release trigger, a report): it is published to the broker. */
    public static String requeueEndpoint() {
        return ClusterRoutes.PUBLISH + "?waitForTaskToComplete=Never";
    }

    @Override
    public void close() {
        if (worker != null) worker.close();
        try {
            registry.leave(id);
        } catch (RuntimeException e) {
            // stopping: the registry shows the node gone once its beat is older than a lease
        }
    }
}
