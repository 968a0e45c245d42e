package io.tessera.routes;

import static io.tessera.routes.FailureClass.DELIVERED;
import static io.tessera.routes.FailureClass.PERMANENT;
import static io.tessera.routes.FailureClass.RETRYABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.dicomio.DicomNetworkException;
import io.tessera.dicomio.StoreReport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureClassTest {
    @Test
    void success_and_the_storage_warnings_count_as_delivered() {
        for (int s : new int[] {0x0000, 0xB000, 0xB006, 0xB007}) assertEquals(DELIVERED, FailureClass.ofDimse(s), Integer.toHexString(s));
    }

    @Test
    void out_of_resources_and_processing_failure_are_retried() {
        for (int s : new int[] {0xA700, 0xA701, 0xA7FF, 0x0110}) assertEquals(RETRYABLE, FailureClass.ofDimse(s), Integer.toHexString(s));
    }

    @Test
    void data_set_mismatch_cannot_understand_and_other_failures_are_permanent() {
        for (int s : new int[] {0xA900, 0xA9FF, 0xC000, 0xC211, 0xCFFF, 0x0122, 0x0124, 0x0211, 0xA800}) {
            assertEquals(PERMANENT, FailureClass.ofDimse(s), Integer.toHexString(s));
        }
    }

    @Test
    void only_a_permanent_rejection_and_tls_failures_are_permanent_at_association_level() {
        for (DicomNetworkException.Kind k : DicomNetworkException.Kind.values()) {
            FailureClass expected = k == DicomNetworkException.Kind.REJECTED_PERMANENT || k == DicomNetworkException.Kind.TLS
                    ? PERMANENT : RETRYABLE;
            assertEquals(expected, FailureClass.ofAssociation(k), k.name());
        }
    }

    @Test
    void association_failures_are_told_apart_from_their_cause_and_pixelmeds_messages() {
        assertEquals(DicomNetworkException.Kind.CONNECTION_REFUSED,
                new DicomNetworkException(DicomNetworkException.NO_ASSOCIATION, "x", new java.net.ConnectException("Connection refused")).kind());
        assertEquals(DicomNetworkException.Kind.TIMEOUT,
                new DicomNetworkException(DicomNetworkException.NO_ASSOCIATION, "x", new java.io.IOException(new java.net.SocketTimeoutException("Read timed out"))).kind());
        assertEquals(DicomNetworkException.Kind.REJECTED_PERMANENT, new DicomNetworkException(DicomNetworkException.NO_ASSOCIATION, "x",
                new Exception("Association rejected Result: 0x1 (rejected-permanent), Source: 0x1, Reason: 0x7")).kind());
        assertEquals(DicomNetworkException.Kind.REJECTED_TRANSIENT, new DicomNetworkException(DicomNetworkException.NO_ASSOCIATION, "x",
                new Exception("Association rejected Result: 0x2 (rejected-transient), Source: 0x3, Reason: 0x2")).kind());
        assertEquals(DicomNetworkException.Kind.ABORTED, new DicomNetworkException(DicomNetworkException.NO_ASSOCIATION, "A-ABORT indication").kind());
        assertEquals(DicomNetworkException.Kind.TLS, new DicomNetworkException(DicomNetworkException.TLS_HANDSHAKE, "TLS handshake failed",
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed")).kind());
        // a key or trust store that cannot be loaded is a TLS failure by its code, whatever the cause says
        DicomNetworkException stores = new DicomNetworkException(DicomNetworkException.TLS_STORES, "cannot load the trust store",
                new java.io.IOException("keystore password was incorrect"));
        assertEquals(DicomNetworkException.Kind.TLS, stores.kind());
        assertEquals("TSR-0405", stores.code());
        assertTrue(stores.getMessage().startsWith("TSR-0405: "), stores.getMessage());
    }

    @Test
    void http_5xx_429_and_408_are_retried_other_4xx_are_permanent() {
        assertEquals(DELIVERED, FailureClass.ofHttp(200));
        assertEquals(DELIVERED, FailureClass.ofHttp(201));
        for (int s : new int[] {500, 502, 503, 504, 429, 408}) assertEquals(RETRYABLE, FailureClass.ofHttp(s), "" + s);
        for (int s : new int[] {400, 401, 403, 404, 409, 412, 422, 301}) assertEquals(PERMANENT, FailureClass.ofHttp(s), "" + s);
    }

    @Test
    void a_store_report_is_retryable_only_if_every_failure_is() {
        Path f = Path.of("a.dcm");
        StoreReport.FileStatus ok = new StoreReport.FileStatus(f, "1.2", StoreReport.Status.SUCCESS, 0, null);
        StoreReport.FileStatus full = new StoreReport.FileStatus(f, "1.3", StoreReport.Status.FAILED, 0xA700, "disk full");
        StoreReport.FileStatus notSent = new StoreReport.FileStatus(f, "1.4", StoreReport.Status.NOT_SENT);
        StoreReport.FileStatus bad = new StoreReport.FileStatus(f, "1.5", StoreReport.Status.FAILED, 0xC000, null);
        StoreReport.FileStatus unreadable = new StoreReport.FileStatus(f, "", StoreReport.Status.FAILED);
        assertEquals(RETRYABLE, DicomDestination.classify(new StoreReport(List.of(ok, full, notSent))));
        assertEquals(PERMANENT, DicomDestination.classify(new StoreReport(List.of(full, bad))));
        assertEquals(PERMANENT, DicomDestination.classify(new StoreReport(List.of(unreadable))));
        assertEquals(DELIVERED, DicomDestination.classify(new StoreReport(List.of(ok))));
        assertEquals("1.3 FAILED status A700 (disk full)", full.toString());
    }
}
