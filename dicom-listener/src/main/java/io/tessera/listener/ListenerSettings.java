package io.tessera.listener;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * What the C-STORE SCP needs to run.
 *
 * @param aeTitle                 our AE title; associations calling another title are rejected
 * @param bindAddress             address to listen on, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port                    TCP port; 0 picks a free one (see {@link DicomListener#port()})
 * @param allowedCallingAeTitles  calling AE titles allowed to associate; empty allows any
 * @param spoolDir                root of the spool; instances land under {@code incoming/<study>/<series>/<sop>.dcm}
 * @param maxPduLength            the maximum PDU length we offer to receive (bigger PDUs, fewer copies)
 */
public record ListenerSettings(String aeTitle, String bindAddress, int port, Set<String> allowedCallingAeTitles,
                               Path spoolDir, int maxPduLength) {

    public static final int DEFAULT_MAX_PDU_LENGTH = 131072;

    public ListenerSettings {
        Objects.requireNonNull(aeTitle, "aeTitle");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(spoolDir, "spoolDir");
        aeTitle = aeTitle.trim();
        if (aeTitle.isEmpty() || aeTitle.length() > 16) {
            throw new IllegalArgumentException("TSR-0100: AE title must be 1 to 16 characters: '" + aeTitle + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TSR-0101: port out of range: " + port);
        }
        if (maxPduLength < 4096) {
            throw new IllegalArgumentException("TSR-0102: maxPduLength must be at least 4096: " + maxPduLength);
        }
        allowedCallingAeTitles = allowedCallingAeTitles == null ? Set.of()
                : Set.copyOf(allowedCallingAeTitles.stream().map(String::trim).toList());
    }

    /** Loopback settings with the default PDU size, any calling AE, a free port. */
    public static ListenerSettings loopback(String aeTitle, Path spoolDir) {
        return new ListenerSettings(aeTitle, "127.0.0.1", 0, Set.of(), spoolDir, DEFAULT_MAX_PDU_LENGTH);
    }

    public ListenerSettings withAllowedCallingAeTitles(Set<String> allowed) {
        return new ListenerSettings(aeTitle, bindAddress, port, allowed, spoolDir, maxPduLength);
    }

    boolean allowsCallingAe(String callingAe) {
        return allowedCallingAeTitles.isEmpty() || allowedCallingAeTitles.contains(callingAe.trim());
    }
}
