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
        // reconnectAttempts=-1: a broker restart (or fail-over) is waited out instead of failing every send
        String url = cluster.brokerUrl() + (cluster.brokerUrl().contains("?") ? "&" : "?") + "reconnectAttempts=-1";
        ConnectionFactory factory = cluster.brokerUser().isEmpty() ? new ActiveMQConnectionFactory(url)
                : new ActiveMQConnectionFactory(url, cluster.brokerUser(), cluster.brokerPassword());
        JmsComponent jms = JmsComponent.jmsComponentTransacted(factory);
        camel.addComponent(COMPONENT, jms);
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
