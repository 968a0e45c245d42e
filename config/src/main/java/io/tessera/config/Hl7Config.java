package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * The HL7 v2 report intake: an MLLP listener for ORU^R01 messages on {@code bindAddress:port} (off by default).
 * {@code accessionField} names where the accession number is read, as {@code SEGMENT-FIELD} or
 * {@code SEGMENT-FIELD.COMPONENT} (HL7 numbering, from 1): {@code OBR-3} (filler order number, the default),
 * {@code OBR-2} (placer order number), {@code ORC-3} or {@code OBR-18} (placer field 1) as sites use them.
 *
 * <p>The listener's limits: a frame over {@code maxFrameBytes} is refused and its connection closed; a connection
 * silent for {@code idleTimeout} is closed; at most {@code maxConnections} connections at once, and at most
 * {@code maxConnectionsPerAddress} of them from one source address, so that idle peers cannot take every slot.
 * Who may send: {@code allowedSenders} (IP literals or networks {@code address/prefix}; another address's connection
 * is closed) and {@code allowedApplications} ({@code APP} = MSH-3, or {@code APP^FACILITY} = MSH-3 and MSH-4; another
 * sender's message is answered AR). An empty list allows everyone. {@code tls}: MLLP over TLS on {@code port} instead of
 * plain MLLP ({@link Hl7TlsConfig}); every limit and allow-list above applies to TLS connections too.
 */
public record Hl7Config(
        boolean enabled,
        @NotBlank String bindAddress,
        @Min(value = 0, message = "must be between 0 and 65535") @Max(value = 65535, message = "must be between 0 and 65535") int port,
        @NotNull @Pattern(regexp = "(OBR|ORC)-[1-9][0-9]{0,2}(\\.[1-9][0-9]?)?",
                message = "must be SEGMENT-FIELD or SEGMENT-FIELD.COMPONENT of OBR or ORC, e.g. OBR-3") String accessionField,
        @Min(value = 1024, message = "must be between 1024 and 268435456")
        @Max(value = 268435456, message = "must be between 1024 and 268435456") int maxFrameBytes,
        @NotNull @DurationMin(millis = 100, message = "must be between 100ms and 1h")
        @DurationMax(hours = 1, message = "must be between 100ms and 1h") Duration idleTimeout,
        @Min(value = 1, message = "must be between 1 and 1000") @Max(value = 1000, message = "must be between 1 and 1000") int maxConnections,
        @Min(value = 1, message = "must be between 1 and 1000") @Max(value = 1000, message = "must be between 1 and 1000")
        int maxConnectionsPerAddress,
        @NotNull List<@NotBlank @Pattern(regexp = "[0-9A-Fa-f:.]{2,45}(/[0-9]{1,3})?",
                message = "must be an IP address or a network address/prefix, e.g. 10.1.2.0/24") String> allowedSenders,
        @NotNull List<@NotBlank @Pattern(regexp = "[^|^~\\\\&]{1,227}(\\^[^|^~\\\\&]{1,227})?",
                message = "must be APPLICATION or APPLICATION^FACILITY (MSH-3, MSH-4 namespace IDs)") String> allowedApplications,
        @NotNull @Valid Hl7TlsConfig tls) {

    public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

    /** The defaults of tessera-defaults.yaml. */
    public static Hl7Config defaults() {
        return new Hl7Config(false, "127.0.0.1", 2575, "OBR-3", DEFAULT_MAX_FRAME_BYTES, Duration.ofSeconds(30), 16, 4,
                List.of(), List.of(), Hl7TlsConfig.off());
    }

    /** Plain MLLP (no TLS) with the given limits and allow-lists. */
    public Hl7Config(boolean enabled, String bindAddress, int port, String accessionField, int maxFrameBytes, Duration idleTimeout,
                     int maxConnections, int maxConnectionsPerAddress, List<String> allowedSenders, List<String> allowedApplications) {
        this(enabled, bindAddress, port, accessionField, maxFrameBytes, idleTimeout, maxConnections, maxConnectionsPerAddress,
                allowedSenders, allowedApplications, Hl7TlsConfig.off());
    }

    /** The same listener with {@code tls}. */
    public Hl7Config withTls(Hl7TlsConfig tls) {
        return new Hl7Config(enabled, bindAddress, port, accessionField, maxFrameBytes, idleTimeout, maxConnections,
                maxConnectionsPerAddress, allowedSenders, allowedApplications, tls);
    }

    /** The listener settings with the default limits and no allow-lists. */
    public Hl7Config(boolean enabled, String bindAddress, int port, String accessionField) {
        this(enabled, bindAddress, port, accessionField, DEFAULT_MAX_FRAME_BYTES, Duration.ofSeconds(30), 16, 4, List.of(), List.of(),
                Hl7TlsConfig.off());
    }
}
