package io.tessera.routes;

import io.tessera.config.ClusterConfig;
import io.tessera.config.NodeConfig;
import io.tessera.listener.IndexPool;
import io.tessera.listener.StudyIndex;
import io.tessera.routes.cluster.Broker;
import io.tessera.routes.cluster.ClusterRoutes;
import io.tessera.routes.cluster.MessagePriority;
import io.tessera.routes.cluster.NodeRegistry;
import io.tessera.routes.cluster.Publications;
import io.tessera.routes.cluster.Reconciler;
import io.tessera.routes.cluster.StudyQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * An ingest node inside the test's JVM, as the cluster tests run it beside worker processes: completion polling every
 * 300 ms on the shared index, publication to the broker, and the reconciler; no worker or delivery role.
 */
final class IngestNode {
    private IngestNode() {}

    /**
     * @param shutdownSeconds how long stopping waits for in-flight work (a publication caught by a broker crash may
     *                        otherwise hold the stop for the client's call timeout)
     */
    static CamelContext start(String id, String brokerUrl, IndexPool pool, StudyIndex index, int shutdownSeconds)
            throws Exception {
        ClusterConfig cluster = ClusterNodeMain.cluster(brokerUrl);
        Clock clock = Clock.systemUTC();
        CamelContext node = new DefaultCamelContext();
        node.addRoutesConfigurations(new ErrorPolicy());
        Broker.register(node, cluster);
        Publications publications = new Publications(pool, cluster.lease(), clock);
        StudyQueue queue = new StudyQueue(index, publications, new MessagePriority(ClusterNodeMain.ROUTES),
                node.createProducerTemplate(), Broker.producer(cluster));
        NodeConfig ingest = new NodeConfig(id, List.of("ingest"));
        node.addRoutes(new ClusterRoutes(cluster, ingest, new CompletionPoller(index, Duration.ofMillis(300), clock), queue,
                null, new Reconciler(publications, queue, new NodeRegistry(pool, cluster.lease(), clock), ingest.id(),
                ingest.roles()), 1, 50));
        node.getShutdownStrategy().setTimeout(shutdownSeconds);
        node.start();
        return node;
    }
}
