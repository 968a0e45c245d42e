package io.tessera.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * How the outbox retries a destination. Attempt {@code n} (1-based) that failed with a retryable error is retried after
 * {@code min(maxBackoff, initialBackoff * 2^(n-1))} with up to 20 % jitter; an entry that failed {@code maxAttempts}
 * times or is older than {@code maxAge} is parked. After {@code breakerFailures} consecutive retryable failures a DICOM
 * destination's circuit opens: nothing is sent to it until a C-ECHO probe, tried at the backoff interval, succeeds.
 */
public record DeliveryConfig(
        @NotNull @DurationMin(millis = 10, message = "must be between 10ms and 1h")
        @DurationMax(hours = 1, message = "must be between 10ms and 1h") Duration initialBackoff,
        @NotNull @DurationMin(millis = 10, message = "must be between 10ms and 24h")
        @DurationMax(hours = 24, message = "must be between 10ms and 24h") Duration maxBackoff,
        @Min(value = 1, message = "must be between 1 and 1000") @Max(value = 1000, message = "must be between 1 and 1000") int maxAttempts,
        @NotNull @DurationMin(seconds = 1, message = "must be between 1s and 30d")
        @DurationMax(days = 30, message = "must be between 1s and 30d") Duration maxAge,
        @Min(value = 1, message = "must be between 1 and 100") @Max(value = 100, message = "must be between 1 and 100") int breakerFailures) {

    /** The defaults of tessera-defaults.yaml. */
    public static DeliveryConfig defaults() {
        return new DeliveryConfig(Duration.ofSeconds(2), Duration.ofMinutes(5), 10, Duration.ofHours(24), 3);
    }

    @AssertTrue(message = "maxBackoff must not be shorter than initialBackoff")
    public boolean isBackoffOrdered() {
        return initialBackoff == null || maxBackoff == null || maxBackoff.compareTo(initialBackoff) >= 0;
    }
}
