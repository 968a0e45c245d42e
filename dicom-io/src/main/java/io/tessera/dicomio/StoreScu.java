package io.tessera.dicomio;

import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.MultipleInstanceTransferStatusHandlerWithFileName;
import com.pixelmed.network.PresentationContextListFactory;
import com.pixelmed.network.SocketAssociationInitiator;
import com.pixelmed.network.StatusRecordingStorageSCU;
import com.pixelmed.network.TimedVerificationSCU;
import com.pixelmed.network.VerificationSOPClassSCU;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C-STORE and C-ECHO SCU. One association per {@link #send} with a presentation context per SOP class and transfer
 * syntax of the files, TCP_NODELAY on (PixelMed leaves Nagle on, which costs ~40 ms per instance on loopback), and a
 * status per file. Failures to associate are {@link DicomNetworkException}s (TSR-0401; TSR-0403 for a failed TLS
 * handshake such as an untrusted server certificate); a refused instance is a status. With {@link ScuTls} the
 * association runs over a TLS socket built from the destination's own stores, not the JVM-wide default.
 */
public final class StoreScu {
    private static final Logger log = LoggerFactory.getLogger(StoreScu.class);

    public StoreReport send(String host, int port, String callingAe, String calledAe, List<Path> files)
            throws DicomNetworkException {
        return send(host, port, callingAe, calledAe, files, null);
    }

    /** As {@link #send(String, int, String, String, List)}, over DICOM TLS when {@code tls} is not null. */
    public StoreReport send(String host, int port, String callingAe, String calledAe, List<Path> files, ScuTls tls)
            throws DicomNetworkException {
        return send(host, port, callingAe, calledAe, files, tls, null);
    }

    /**
     * As {@link #send(String, int, String, String, List, ScuTls)}; {@code timeout} (null: none) bounds every read
     * once the association is open, so a peer that stops answering ends the association (files left NOT_SENT)
     * instead of holding the sender for ever.
     */
    public StoreReport send(String host, int port, String callingAe, String calledAe, List<Path> files, ScuTls tls,
            Duration timeout) throws DicomNetworkException {
        List<StoreReport.FileStatus> result = new ArrayList<>();
        if (files.isEmpty()) return new StoreReport(result);
        SetOfDicomFiles set = new SetOfDicomFiles();
        Map<String, Path> byName = new HashMap<>();
        List<Path> unreadable = new ArrayList<>();
        for (Path f : files) {
            try {
                SetOfDicomFiles.DicomFile d = set.add(f.toFile());
                if (d == null || isBlank(d.getSOPClassUID()) || isBlank(d.getTransferSyntaxUID())) {
                    if (d != null) set.remove(d);
                    unreadable.add(f);
                } else {
                    byName.put(d.getFileName(), f);
                }
            } catch (IOException | RuntimeException e) {
                unreadable.add(f);
            }
        }
        Map<Path, StoreReport.FileStatus> status = new HashMap<>();
        String problem = null;
        for (Path f : unreadable) status.put(f, new StoreReport.FileStatus(f, "", StoreReport.Status.FAILED));
        if (!set.isEmpty()) {
            Association association = associate(host, port, callingAe, calledAe, set, tls, timeout);
            readTimeout(association, timeout);
            try {
                StatusHandler handler = new StatusHandler(byName, status);
                StatusRecordingStorageSCU scu = newScu();
                handler.scu = scu;
                scu.send(association, set, handler);
                long answered = status.values().stream().filter(v -> v.status() != StoreReport.Status.NOT_SENT).count()
                        - unreadable.size();
                if (scu.trapped() != null || answered < set.size()) {
                    problem = "association to " + calledAe + "@" + host + ":" + port + " ended with " + answered + " of "
                            + set.size() + " answered (aborted, timed out or closed by the peer)"
                            + (scu.trapped() == null ? "" : ": " + scu.trapped());
                    log.warn("TSR-0402: {}", problem);
                }
            } finally {
                release(association);
            }
        }
        for (Path f : files) {
            result.add(status.getOrDefault(f, new StoreReport.FileStatus(f, "", StoreReport.Status.NOT_SENT)));
        }
        return new StoreReport(result, problem);
    }

    private static StatusRecordingStorageSCU newScu() throws DicomNetworkException {
        try {
            return new StatusRecordingStorageSCU();
        } catch (com.pixelmed.network.DicomNetworkException | DicomException | IOException e) {
            throw new DicomNetworkException(DicomNetworkException.NO_ASSOCIATION, "cannot set up the C-STORE SCU: " + e.getMessage(), e);
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * C-ECHO with {@code timeout} on connecting (at most 10 s) and on every read, so a probe of a peer that accepts and
     * never answers fails (TIMEOUT) instead of hanging; returns normally only on status 0000.
     */
    public void echo(String host, int port, String callingAe, String calledAe, Duration timeout) throws DicomNetworkException {
        String peer = calledAe + "@" + host + ":" + port;
        Socket socket = connect(host, port, timeout, peer);
        try {
            TimedVerificationSCU.echo(socket, calledAe, callingAe);
        } catch (com.pixelmed.network.DicomNetworkException | DicomException | IOException | RuntimeException e) {
            closeQuietly(socket);
            throw new DicomNetworkException(DicomNetworkException.NO_ASSOCIATION, "C-ECHO to " + peer + " failed: " + e.getMessage(), e);
        }
    }

    /** C-ECHO; returns normally only on a successful response. */
    public void echo(String host, int port, String callingAe, String calledAe) throws DicomNetworkException {
        try {
            new VerificationSOPClassSCU(host, port, calledAe, callingAe, false);
        } catch (com.pixelmed.network.DicomNetworkException | DicomException | IOException | RuntimeException e) {
            throw new DicomNetworkException(DicomNetworkException.NO_ASSOCIATION, "C-ECHO to " + calledAe + "@" + host + ":" + port + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static Association associate(String host, int port, String callingAe, String calledAe, SetOfDicomFiles set,
            ScuTls tls, Duration timeout) throws DicomNetworkException {
        String peer = calledAe + "@" + host + ":" + port;
        Socket socket = tls != null ? tls.connect(host, port, peer) : timeout != null ? connect(host, port, timeout, peer) : null;
        try {
            // the TLS socket leaves the handshake with no read timeout: without one a peer that never answers the
            // A-ASSOCIATE-RQ would hold the sender for ever
            if (tls != null && timeout != null) socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            LinkedList<?> contexts = PresentationContextListFactory.createNewPresentationContextList(set, 0);
            if (socket != null) {
                // our own socket (TLS, or plain with timeouts): the A-ASSOCIATE exchange is bounded by its read timeout
                return SocketAssociationInitiator.open(socket, calledAe, callingAe, contexts,
                        AssociationFactory.getDefaultMaximumLengthReceived());
            }
            Association a = AssociationFactory.createNewAssociation(host, port, calledAe, callingAe, contexts, null, false);
            noDelay(a);
            return a;
        } catch (com.pixelmed.network.DicomNetworkException | IOException | RuntimeException e) {
            closeQuietly(socket);
            throw new DicomNetworkException(DicomNetworkException.NO_ASSOCIATION, "cannot open an association" + (tls == null ? "" : " over TLS")
                    + " to " + peer + " as " + callingAe + ": " + e.getMessage(), e);
        }
    }

    /**
     * A plain TCP connection with a connect timeout (at most 10 s) and {@code timeout} on every read, TCP_NODELAY on.
     * PixelMed's own socket has neither timeout: a peer that accepts and never answers would hold the sender for ever.
     */
    static Socket connect(String host, int port, Duration timeout, String peer) throws DicomNetworkException {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new java.net.InetSocketAddress(host, port), Math.min(millis, 10_000));
            s.setSoTimeout(millis);
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            throw new DicomNetworkException(DicomNetworkException.NO_ASSOCIATION, "cannot connect to " + peer + ": " + e, e);
        }
    }

    private static void closeQuietly(Socket s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException e) {
            log.debug("closing socket: {}", e.toString());
        }
    }

    /** PixelMed exposes no option for TCP_NODELAY; its socket field is protected, so set it reflectively. */
    private static void noDelay(Association a) {
        try {
            Socket socket = socket(a);
            if (socket != null) socket.setTcpNoDelay(true);
        } catch (IOException | RuntimeException e) {
            log.debug("could not set TCP_NODELAY: {}", e.toString());
        }
    }

    /** PixelMed reads without a timeout; set SO_TIMEOUT on its socket (it is protected), as for TCP_NODELAY. */
    private static void readTimeout(Association a, Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) return;
        try {
            Socket socket = socket(a);
            if (socket != null) socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        } catch (IOException | RuntimeException e) {
            log.debug("could not set the read timeout: {}", e.toString());
        }
    }

    private static Socket socket(Association a) {
        try {
            Field f = Association.class.getDeclaredField("socket");
            f.setAccessible(true);
            return f.get(a) instanceof Socket s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("no socket field: {}", e.toString());
            return null;
        }
    }

    private static void release(Association a) {
        try {
            a.release();
        } catch (com.pixelmed.network.DicomNetworkException | RuntimeException e) {
            log.debug("association release: {}", e.toString());
        }
    }

    /**
     * Turns PixelMed's running counters into a status per file, with the DIMSE Status and Error Comment that
     * {@link StatusRecordingStorageSCU} kept for the instance just answered (PixelMed calls this after each one).
     */
    private static final class StatusHandler extends MultipleInstanceTransferStatusHandlerWithFileName {
        private final Map<String, Path> byName;
        private final Map<Path, StoreReport.FileStatus> status;
        private StatusRecordingStorageSCU scu;
        private int lastWarnings;

        StatusHandler(Map<String, Path> byName, Map<Path, StoreReport.FileStatus> status) {
            this.byName = byName;
            this.status = status;
        }

        @Override
        public void updateStatus(int remaining, int completed, int failed, int warning, String sopInstanceUid,
                String fileName, boolean success) {
            Path f = byName.get(fileName);
            if (f == null) return;
            int code = scu == null ? StoreReport.NO_STATUS : scu.lastStatus();
            String comment = scu == null ? null : scu.lastErrorComment();
            // no status with a failure: no response came (PixelMed traps an abort or timeout per instance)
            StoreReport.Status s = !success && code == StoreReport.NO_STATUS ? StoreReport.Status.NOT_SENT
                    : !success ? StoreReport.Status.FAILED
                    : warning > lastWarnings || (code & 0xF000) == 0xB000 ? StoreReport.Status.WARNING
                    : StoreReport.Status.SUCCESS;
            lastWarnings = warning;
            status.put(f, new StoreReport.FileStatus(f, sopInstanceUid == null ? "" : sopInstanceUid, s, code, comment));
        }
    }
}
