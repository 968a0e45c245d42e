package io.tessera.testkit;

import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * An Apache ActiveMQ Artemis broker for integration tests, run by {@link ArtemisPeer} in a process of its own:
 * {@code ArtemisBrokerMain <port> <data folder>}. Listens on 127.0.0.1 only, keeps messages in a journal under the
 * data folder (so a restarted broker still has them), no security (loopback test traffic), queues made on first use.
 * Prints {@value #READY} once it accepts connections; stops cleanly on SIGTERM.
 */
public final class ArtemisBrokerMain {
    public static final String READY = "ARTEMIS BROKER READY";

    private ArtemisBrokerMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]);
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("tessera-test-broker");
        config.setPersistenceEnabled(true);
        config.setJournalType(JournalType.NIO);
        config.setJournalDirectory(data.resolve("journal").toString());
        config.setBindingsDirectory(data.resolve("bindings").toString());
        config.setPagingDirectory(data.resolve("paging").toString());
        config.setLargeMessagesDirectory(data.resolve("large").toString());
        // test data: no disk sync per transaction
        config.setJournalSyncTransactional(false);
        config.setJournalSyncNonTransactional(false);
        config.setSecurityEnabled(false);
        config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        // Tessera dead-letters a study itself; the broker's own limit is only a backstop against endless redelivery
        config.addAddressSetting("#", new AddressSettings().setAutoCreateQueues(true).setAutoCreateAddresses(true)
                .setMaxDeliveryAttempts(20).setRedeliveryDelay(0));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
            } catch (Exception e) {
                // stopping anyway
            }
        }, "broker-stop"));
        System.out.println(READY + " on 127.0.0.1:" + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
