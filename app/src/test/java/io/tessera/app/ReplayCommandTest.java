package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.testkit.FreePorts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay command's arguments; the HTTP round trip is covered by OutboxIT. */
class ReplayCommandTest {
    @Test
    void replay_needs_exactly_one_of_an_id_or_a_destination() throws Exception {
        assertEquals(2, ReplayCommand.run(List.of()));
        assertEquals(2, ReplayCommand.run(List.of("12", "--destination", "pacs")));
        assertEquals(2, ReplayCommand.run(List.of("not-a-number")));
    }

    @Test
    void replay_against_a_server_that_is_not_running_fails_with_an_exit_code_of_one() throws Exception {
        assertEquals(1, ReplayCommand.run(List.of("7", "--url", "http://127.0.0.1:" + FreePorts.next())));
    }
}
