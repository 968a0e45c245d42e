package io.tessera.routes.cluster;

import io.tessera.config.ClusterConfig;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;

/**
 * The Artemis broker as Camel sees it: component {@value #COMPONENT}, consuming in local JMS transactions (a message
 * is acknowledged when its route returns, and redelivered when the consumer's connection dies first), and the
 * endpoints of the study queue and its dead-letter queue {@code <queue>.dead}.
 */
public final class Broker {
    public static final String COMPONENT = "tessera-jms";

    private Broker() {}

    /** Adds the component to {@code camel}; the client reconnects on its own while the broker restarts. */
    public static void register(CamelContext camel, ClusterConfig cluster) {
        String url = url(cluster.brokerUrl());
        ConnectionFactory factory = cluster.brokerUser().isEmpty() ? new ActiveMQConnectionFactory(url)
                : new ActiveMQConnectionFactory(url, cluster.brokerUser(), cluster.brokerPassword());
        JmsComponent jms = JmsComponent.jmsComponentTransacted(factory);
        camel.addComponent(COMPONENT, jms);
    }

    /**
     * The client's URL: {@code reconnectAttempts=-1}, so a broker restart (or fail-over) is waited out instead of
     * failing every send; {@code consumerWindowSize=0}, so a consumer holds no message it has not started: Artemis'
     * default 1 MiB window would let one busy worker buffer hundreds of small study messages while the others idle;
     * {@code callTimeout=10000}: a send caught by a broker crash fails after 10 s instead of the client's default 30 s
     * (AMQ219014), which held a node's publishing for that long. A failed publication is not lost: the study version
     * stays claimed by no live lease and the reconciler publishes it again.
     */
    static String url(String brokerUrl) {
        return brokerUrl + (brokerUrl.contains("?") ? "&" : "?") + "reconnectAttempts=-1&consumerWindowSize=0&callTimeout=10000";
    }

    /** The study queue, consumed by {@code consumers} concurrent workers. */
    public static String consumer(ClusterConfig cluster, int consumers) {
        return COMPONENT + ":queue:" + cluster.queue() + "?transacted=true&concurrentConsumers=" + consumers
                + "&maxConcurrentConsumers=" + consumers + "&cacheLevelName=CACHE_CONSUMER";
    }

    /** Where study versions are published; the JMSPriority header sets each message's priority. */
    public static String producer(ClusterConfig cluster) {
        return COMPONENT + ":queue:" + cluster.queue() + "?transacted=false&preserveMessageQos=true";
    }

    /** Where a study version that kills its workers goes. */
    public static String deadLetters(ClusterConfig cluster) {
        return COMPONENT + ":queue:" + cluster.queue() + ".dead?transacted=false";
    }
}
