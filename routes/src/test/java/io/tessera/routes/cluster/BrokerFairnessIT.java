package io.tessera.routes.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tessera.testkit.ArtemisPeer;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * Work goes to an idle worker, not into a busy worker's buffer: against a real Artemis broker, a consumer that holds
 * one study (received, not yet acknowledged) has not taken the next one, which a second consumer then receives. With
 * Artemis' default 1 MiB consumer window the first consumer's client would already hold every small study message.
 */
class BrokerFairnessIT {
    @Test
    void a_busy_worker_does_not_hold_the_next_study_an_idle_worker_could_run() throws Exception {
        try (ArtemisPeer broker = ArtemisPeer.start()) {
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(Broker.url(broker.url()));
            try (Connection busy = factory.createConnection(); Connection idle = factory.createConnection();
                 Connection producer = factory.createConnection()) {
                busy.start();
                idle.start();
                Session ps = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer send = ps.createProducer(ps.createQueue("fairness"));
                Session bs = busy.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer busyConsumer = bs.createConsumer(bs.createQueue("fairness"));
                Session is = idle.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer idleConsumer = is.createConsumer(is.createQueue("fairness"));
                for (int i = 1; i <= 3; i++) send.send(ps.createTextMessage("study-" + i));

                TextMessage first = (TextMessage) busyConsumer.receive(10_000);
                assertNotNull(first, "the busy worker took one study");
                // the busy worker runs its study (transaction open); the others wait on the broker, not in its buffer
                TextMessage second = (TextMessage) idleConsumer.receive(10_000);
                TextMessage third = (TextMessage) idleConsumer.receive(10_000);
                assertNotNull(second, "the idle worker gets the next study");
                assertNotNull(third, "and the one after");
                is.commit();
                bs.commit();
                assertEquals("study-1", first.getText());
                assertNull(busyConsumer.receive(500), "nothing was left buffered with the busy worker");
            }
        }
    }
}
