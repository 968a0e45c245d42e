package io.tessera.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.DeliveryConfig;
import io.tessera.config.DestinationConfig;
import io.tessera.core.JobState;
import io.tessera.listener.InstanceRecord;
import io.tessera.listener.StudyIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code outbox} route with the real store (sharing the study index's database) and the real deliverer to a folder
 * destination: a pending entry of a DELIVERING study is sent by the destination's worker and the study becomes DONE.
 */
class OutboxRouteTest {
    @TempDir Path dir;
    StudyIndex index;
    OutboxStore store;
    CamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) camel.stop();
        if (store != null) store.close();
        if (index != null) index.close();
    }

    @Test
    void the_timer_route_sends_a_pending_entry_to_a_folder_and_the_study_becomes_done() throws Exception {
        String url = StudyIndex.defaultJdbcUrl(dir);
        index = new StudyIndex(url, dir);
        store = new OutboxStore(url);
        Path result = dir.resolve("results/1.2.3.9.dcm");
        Files.createDirectories(result.getParent());
        Files.write(result, new byte[] {1, 2, 3, 4});
        index.recordInstance(new InstanceRecord("1.2.3.4.5", "1.2.3", "1.2.3.4", "1.2.840.10008.5.1.4.1.1.2", "CT", "SCU",
                result, 4, Instant.now()));
        int version = index.study("1.2.3").orElseThrow().version();
        index.setState("1.2.3", version, JobState.DELIVERING, null);
        DestinationConfig folder = new DestinationConfig("out", "folder", null, null, 0, dir.resolve("out").toString(), null, null);
        Outbox outbox = Outbox.of(store, Destinations.of(List.of(folder)), new Deliverer("TESSERA"), index,
                new DeliveryConfig(Duration.ofMillis(100), Duration.ofSeconds(1), 3, Duration.ofHours(1), 3), Clock.systemUTC());
        outbox.enqueue("1.2.3", version, "out", "1.2.3.9", result);

        camel = new DefaultCamelContext();
        camel.addRoutesConfigurations(new ErrorPolicy());
        camel.addRoutes(new OutboxRoute(outbox, 20));
        NotifyBuilder ticked = new NotifyBuilder(camel).fromRoute(OutboxRoute.ROUTE_ID).whenDone(1).create();
        camel.start();
        assertTrue(ticked.matches(10, TimeUnit.SECONDS), "the outbox timer did not fire");
        // the timer only starts the destination's worker; the send and the settling happen there
        await().atMost(Duration.ofSeconds(10)).until(() -> index.study("1.2.3").orElseThrow().state() == JobState.DONE);
        outbox.stop(Duration.ofSeconds(5));

        assertTrue(Files.exists(dir.resolve("out/1.2.3/1.2.3.9.dcm")));
        assertTrue(store.open().isEmpty());
        assertEquals(OutboxEntry.State.SENT, store.forStudy("1.2.3", version).get(0).state());
    }
}
