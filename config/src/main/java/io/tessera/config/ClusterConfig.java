package io.tessera.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * One node, or one of several. {@code single} (the default) keeps everything in this process: the in-process study
 * queue, and whatever index {@code storage} names. {@code distributed}: several nodes share a PostgreSQL index
 * ({@code storage.indexUrl}), a folder ({@code storage.sharedDir}) and an Apache ActiveMQ Artemis broker
 * ({@code brokerUrl}, logged in as {@code brokerUser}/{@code brokerPassword}) whose queue {@code queue} carries study
 * versions to the worker nodes.
 *
 * <p>A worker holds a lease on the study version it processes for {@code lease}, renewed every {@code heartbeat};
 * a lease not renewed in time means its node died, and the {@code reconcileEvery} sweep republishes the study. A
 * study version whose lease lapsed {@code maxTakeovers} times (it keeps killing workers) goes to the dead-letter queue
 * and is FAILED.
 */
public record ClusterConfig(
        @NotNull @Pattern(regexp = "single|distributed", message = "must be single or distributed") String mode,
        @NotNull @Pattern(regexp = "|(tcp|ssl)://[^\\s]+", message = "must be tcp://host:port or ssl://host:port") String brokerUrl,
        @NotNull String brokerUser,
        @NotNull String brokerPassword,
        @NotNull @Pattern(regexp = "[A-Za-z0-9._-]{1,200}", message = "must be a queue name (letters, digits, . _ -)") String queue,
        @NotNull @DurationMin(seconds = 1, message = LEASE) @DurationMax(minutes = 30, message = LEASE) Duration lease,
        @NotNull @DurationMin(millis = 100, message = BEAT) @DurationMax(minutes = 10, message = BEAT) Duration heartbeat,
        @NotNull @DurationMin(millis = 100, message = SWEEP) @DurationMax(hours = 1, message = SWEEP) Duration reconcileEvery,
        @Min(value = 1, message = "must be between 1 and 100") @Max(value = 100, message = "must be between 1 and 100") int maxTakeovers) {

    static final String LEASE = "must be between 1s and 30m";
    static final String BEAT = "must be between 100ms and 10m";
    static final String SWEEP = "must be between 100ms and 1h";

    /** The defaults of tessera-defaults.yaml: one node. */
    public static ClusterConfig single() {
        return new ClusterConfig("single", "", "", "", "tessera.studies", Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 3);
    }

    public boolean distributed() {
        return "distributed".equals(mode);
    }

    /** A distributed node must know its broker. */
    @AssertTrue(message = "cluster.mode distributed needs a broker URL, e.g. tcp://broker:61616")
    public boolean isBrokerUrlComplete() {
        return !distributed() || (brokerUrl != null && !brokerUrl.isBlank());
    }

    /** A lease renewed less often than it lasts would lapse under a live worker. */
    @AssertTrue(message = "must be shorter than cluster.lease")
    public boolean isHeartbeatInRange() {
        return heartbeat == null || lease == null || heartbeat.compareTo(lease) < 0;
    }

    /** The password is never printed. */
    @Override
    public String toString() {
        return "ClusterConfig[mode=" + mode + ", brokerUrl=" + brokerUrl + ", brokerUser=" + brokerUser + ", brokerPassword="
                + (brokerPassword == null || brokerPassword.isEmpty() ? "" : "***") + ", queue=" + queue + ", lease=" + lease
                + ", heartbeat=" + heartbeat + ", reconcileEvery=" + reconcileEvery + ", maxTakeovers=" + maxTakeovers + "]";
    }
}
