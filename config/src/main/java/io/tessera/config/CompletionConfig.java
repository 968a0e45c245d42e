package io.tessera.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/** When a study counts as complete: after {@code quietPeriod} without a new instance. */
public record CompletionConfig(@NotNull Duration quietPeriod) {
    @AssertTrue(message = "must be between 100ms and 24h")
    public boolean isQuietPeriodInRange() {
        return quietPeriod == null
                || (quietPeriod.compareTo(Duration.ofMillis(100)) >= 0 && quietPeriod.compareTo(Duration.ofHours(24)) <= 0);
    }
}
