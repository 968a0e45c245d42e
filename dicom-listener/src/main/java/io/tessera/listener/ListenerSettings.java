package io.tessera.listener;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What the C-STORE SCP needs to run.
 *
 * @param aeTitle                 our AE title; associations calling another title are rejected
 * @param bindAddress             address to listen on, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port                    plain TCP port; 0 picks a free one (see {@link DicomListener#port()}); -1: no plain port
 * @param allowedCallingAeTitles  calling AE titles allowed to associate, each {@code AE} (from anywhere),
 *                                {@code AE@host} (only from that host's addresses) or {@code AE@network/prefix}
 *                                (only from that IPv4/IPv6 network); empty allows any
 * @param spoolDir                root of the spool; instances land under {@code incoming/<study>/<series>/<sop>.dcm}
 * @param maxPduLength            the maximum PDU length we offer to receive (bigger PDUs, fewer copies)
 * @param tls                     the DICOM TLS port, or null for none
 * @param maxAssociations         concurrent associations; one more is rejected (transient, local limit exceeded)
 * @param maxStudyBytes           bytes one study may hold; the instance that would exceed it gets A700; 0: no limit
 * @param auditFile               the JSON-lines audit log; null: {@code <spoolDir>/audit/audit.log}
 * @param maxInstanceBytes        largest data set accepted for one instance (0: {@link #DEFAULT_MAX_INSTANCE_BYTES});
 *                                a bigger one is drained, not kept, and answered A700
 * @param accepted                SOP classes and transfer syntaxes accepted at negotiation; null: {@link AcceptedContexts#defaults()}
 * @param maxConnectionsPerSource connections one remote address may hold before their A-ASSOCIATE-RQ has been read
 *                                (0: {@link #DEFAULT_MAX_CONNECTIONS_PER_SOURCE}); the next one is closed at once
 * @param associateTimeout        how long a connection may take, from accept, to send its whole A-ASSOCIATE-RQ (TLS
 *                                handshake included); null: {@link #DEFAULT_ASSOCIATE_TIMEOUT}; then it is closed
 */
public record ListenerSettings(String aeTitle, String bindAddress, int port, Set<String> allowedCallingAeTitles,
                               Path spoolDir, int maxPduLength, TlsSettings tls, int maxAssociations,
                               long maxStudyBytes, Path auditFile, long maxInstanceBytes, AcceptedContexts accepted,
                               int maxConnectionsPerSource, Duration associateTimeout) {

    public static final int DEFAULT_MAX_PDU_LENGTH = 131072;
    public static final int DEFAULT_MAX_ASSOCIATIONS = 64;
    public static final int NO_PORT = -1;
    /** Default cap on one instance's data set: it is held in memory until its last fragment arrives. */
    public static final long DEFAULT_MAX_INSTANCE_BYTES = 512L << 20;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 16;
    public static final Duration DEFAULT_ASSOCIATE_TIMEOUT = Duration.ofSeconds(10);

    public ListenerSettings {
        Objects.requireNonNull(aeTitle, "aeTitle");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(spoolDir, "spoolDir");
        aeTitle = aeTitle.trim();
        if (aeTitle.isEmpty() || aeTitle.length() > 16) {
            throw new IllegalArgumentException("TSR-0100: AE title must be 1 to 16 characters: '" + aeTitle + "'");
        }
        if (port < NO_PORT || port > 65535) {
            throw new IllegalArgumentException("TSR-0101: port out of range: " + port);
        }
        if (port == NO_PORT && tls == null) {
            throw new IllegalArgumentException("TSR-0106: neither a plain nor a TLS port is configured");
        }
        if (maxPduLength < 4096) {
            throw new IllegalArgumentException("TSR-0102: maxPduLength must be at least 4096: " + maxPduLength);
        }
        if (maxAssociations < 1) {
            throw new IllegalArgumentException("TSR-0107: maxAssociations must be at least 1: " + maxAssociations);
        }
        if (maxStudyBytes < 0) {
            throw new IllegalArgumentException("TSR-0108: maxStudyBytes must be 0 (no limit) or more: " + maxStudyBytes);
        }
        if (maxInstanceBytes < 0) {
            throw new IllegalArgumentException("TSR-0111: maxInstanceBytes must be 0 (default) or more: " + maxInstanceBytes);
        }
        maxInstanceBytes = maxInstanceBytes == 0 ? DEFAULT_MAX_INSTANCE_BYTES : maxInstanceBytes;
        if (maxConnectionsPerSource < 0 || (associateTimeout != null && associateTimeout.toMillis() < 1)) {
            throw new IllegalArgumentException("TSR-0103: maxConnectionsPerSource must be 0 (default) or more and"
                    + " associateTimeout at least 1 ms: " + maxConnectionsPerSource + ", " + associateTimeout);
        }
        maxConnectionsPerSource = maxConnectionsPerSource == 0 ? DEFAULT_MAX_CONNECTIONS_PER_SOURCE : maxConnectionsPerSource;
        associateTimeout = associateTimeout == null ? DEFAULT_ASSOCIATE_TIMEOUT : associateTimeout;
        allowedCallingAeTitles = allowedCallingAeTitles == null ? Set.of()
                : Set.copyOf(allowedCallingAeTitles.stream().map(String::trim).toList());
        auditFile = auditFile == null ? spoolDir.resolve("audit").resolve("audit.log") : auditFile;
        accepted = accepted == null ? AcceptedContexts.defaults() : accepted;
    }

    /** With the default pre-association limits. */
    public ListenerSettings(String aeTitle, String bindAddress, int port, Set<String> allowedCallingAeTitles,
                            Path spoolDir, int maxPduLength, TlsSettings tls, int maxAssociations,
                            long maxStudyBytes, Path auditFile, long maxInstanceBytes, AcceptedContexts accepted) {
        this(aeTitle, bindAddress, port, allowedCallingAeTitles, spoolDir, maxPduLength, tls, maxAssociations,
                maxStudyBytes, auditFile, maxInstanceBytes, accepted, 0, null);
    }

    /** With the default presentation contexts ({@link AcceptedContexts#defaults()}). */
    public ListenerSettings(String aeTitle, String bindAddress, int port, Set<String> allowedCallingAeTitles,
                            Path spoolDir, int maxPduLength, TlsSettings tls, int maxAssociations,
                            long maxStudyBytes, Path auditFile, long maxInstanceBytes) {
        this(aeTitle, bindAddress, port, allowedCallingAeTitles, spoolDir, maxPduLength, tls, maxAssociations,
                maxStudyBytes, auditFile, maxInstanceBytes, null);
    }

    /** No TLS, default limits, the audit log under the spool. */
    public ListenerSettings(String aeTitle, String bindAddress, int port, Set<String> allowedCallingAeTitles,
                            Path spoolDir, int maxPduLength) {
        this(aeTitle, bindAddress, port, allowedCallingAeTitles, spoolDir, maxPduLength, null,
                DEFAULT_MAX_ASSOCIATIONS, 0, null, DEFAULT_MAX_INSTANCE_BYTES);
    }

    /** Loopback settings with the default PDU size, any calling AE, a free port. */
    public static ListenerSettings loopback(String aeTitle, Path spoolDir) {
        return new ListenerSettings(aeTitle, "127.0.0.1", 0, Set.of(), spoolDir, DEFAULT_MAX_PDU_LENGTH);
    }

    public ListenerSettings withAllowedCallingAeTitles(Set<String> allowed) {
        return new ListenerSettings(aeTitle, bindAddress, port, allowed, spoolDir, maxPduLength, tls, maxAssociations,
                maxStudyBytes, auditFile, maxInstanceBytes, accepted,
                maxConnectionsPerSource, associateTimeout);
    }

    /** {@code plainPort} -1 leaves only the TLS port. */
    public ListenerSettings withTls(TlsSettings tlsSettings, int plainPort) {
        return new ListenerSettings(aeTitle, bindAddress, plainPort, allowedCallingAeTitles, spoolDir, maxPduLength,
                tlsSettings, maxAssociations, maxStudyBytes, auditFile, maxInstanceBytes, accepted,
                maxConnectionsPerSource, associateTimeout);
    }

    public ListenerSettings withLimits(int associations, long studyBytes) {
        return new ListenerSettings(aeTitle, bindAddress, port, allowedCallingAeTitles, spoolDir, maxPduLength, tls,
                associations, studyBytes, auditFile, maxInstanceBytes, accepted,
                maxConnectionsPerSource, associateTimeout);
    }

    public ListenerSettings withMaxInstanceBytes(long bytes) {
        return new ListenerSettings(aeTitle, bindAddress, port, allowedCallingAeTitles, spoolDir, maxPduLength, tls,
                maxAssociations, maxStudyBytes, auditFile, bytes, accepted,
                maxConnectionsPerSource, associateTimeout);
    }

    /** The pre-association limits: connections per source address before screening, and the A-ASSOCIATE-RQ deadline. */
    public ListenerSettings withPreAssociationLimits(int connectionsPerSource, Duration timeout) {
        return new ListenerSettings(aeTitle, bindAddress, port, allowedCallingAeTitles, spoolDir, maxPduLength, tls,
                maxAssociations, maxStudyBytes, auditFile, maxInstanceBytes, accepted, connectionsPerSource, timeout);
    }

    public ListenerSettings withAuditFile(Path file) {
        return new ListenerSettings(aeTitle, bindAddress, port, allowedCallingAeTitles, spoolDir, maxPduLength, tls,
                maxAssociations, maxStudyBytes, file, maxInstanceBytes, accepted,
                maxConnectionsPerSource, associateTimeout);
    }

    public ListenerSettings withAccepted(AcceptedContexts contexts) {
        return new ListenerSettings(aeTitle, bindAddress, port, allowedCallingAeTitles, spoolDir, maxPduLength, tls,
                maxAssociations, maxStudyBytes, auditFile, maxInstanceBytes, contexts,
                maxConnectionsPerSource, associateTimeout);
    }
}
