package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.testkit.FreePorts;
import org.junit.jupiter.api.Test;

/** The replay command's arguments; the HTTP round trip is covered by OutboxIT. */
class ReplayCommandTest {
    @Test
    void replay_needs_exactly_one_of_an_id_or_a_destination() {
        assertEquals(2, Main.run(new String[] {"replay"}));
        assertEquals(2, Main.run(new String[] {"replay", "12", "--destination", "pacs"}));
        assertEquals(2, Main.run(new String[] {"replay", "not-a-number"}));
        assertEquals(2, Main.run(new String[] {"replay", "7", "--url"}), "an option without its value");
    }

    @Test
    void replay_against_a_server_that_is_not_running_fails_with_an_exit_code_of_one() {
        assertEquals(1, Main.run(new String[] {"replay", "7", "--url", "http://127.0.0.1:" + FreePorts.next()}));
        assertEquals(1, Main.run(new String[] {"replay", "--destination=pacs", "--url=http://127.0.0.1:" + FreePorts.next()}));
    }

    @Test
    void replay_takes_the_url_from_the_configuration_and_its_overrides() {
        int port = FreePorts.next();
        assertEquals(1, Main.run(new String[] {"replay", "7", "--http.port=" + port}));
    }
}
