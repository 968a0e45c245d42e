package io.tessera.app;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Awaitility as the integration tests wait: the first check at once, then every {@code poll}, failing after {@code atMost}. */
final class Awaits {
    private Awaits() {}

    static ConditionFactory within(Duration atMost, Duration poll) {
        return Awaitility.await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(poll);
    }

    static ConditionFactory within(Duration atMost) {
        return within(atMost, Duration.ofMillis(50));
    }
}
