package io.tessera.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Listener limits: one association more than {@code maxAssociations} is rejected (transient, local limit exceeded); the
 * instance that would take a study over {@code maxStudyBytes} is answered A700 (0: no limit); a data set larger than
 * {@code maxInstanceBytes} (a deflated one: once inflated) is refused with A700 (0: 512 MiB), so no peer can fill the
 * heap. Before its association is screened a connection is held at most {@code associateTimeout} (the whole
 * A-ASSOCIATE-RQ must have arrived by then), and one source address may hold at most {@code maxConnectionsPerSource}
 * such connections at a time; the next one is closed at once.
 */
public record LimitsConfig(@Min(1) @Max(10000) int maxAssociations, @Min(0) long maxStudyBytes, @Min(0) long maxInstanceBytes,
                           @Min(1) @Max(10000) int maxConnectionsPerSource,
                           @NotNull @DurationMin(millis = 100, message = "must be between 100ms and 5m")
                           @DurationMax(minutes = 5, message = "must be between 100ms and 5m") Duration associateTimeout) {

    public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 16;
    public static final Duration DEFAULT_ASSOCIATE_TIMEOUT = Duration.ofSeconds(10);

    /** The pre-association limits at their defaults. */
    public LimitsConfig(int maxAssociations, long maxStudyBytes, long maxInstanceBytes) {
        this(maxAssociations, maxStudyBytes, maxInstanceBytes, DEFAULT_MAX_CONNECTIONS_PER_SOURCE, DEFAULT_ASSOCIATE_TIMEOUT);
    }
}
