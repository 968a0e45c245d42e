package io.tessera.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses configurations that would put patient data on a network without authentication or encryption: a port bound
 * to anything but a loopback address needs a way to know its callers (HTTP: bearer tokens, client certificates or console users;
 * DICOM: an allow-list of {@code AE@host} entries or TLS with client certificates; HL7: a sender allow-list or TLS
 * client certificates) and, for HTTP and HL7, TLS (DICOM peers often cannot do TLS; their address is checked instead). {@code security.insecure: true} lifts these refusals for a lab; {@link #warnings} then says what is open.
 */
public final class SecureDefaults {
    private SecureDefaults() {}

    /** The refusals, each naming the keys to set; empty when the configuration is secure or declared insecure. */
    public static List<String> problems(TesseraConfig config) {
        List<String> problems = new ArrayList<>();
        SecurityConfig security = config.security();
        if (security == null || config.http() == null) return problems;
        HttpConfig http = config.http();
        if (!security.clients().isEmpty() && !(http.tls().enabled() && !"none".equals(http.tls().clientAuth()))) {
            problems.add("security.clients: client certificates need http.tls.enabled: true and http.tls.clientAuth: want or need");
        }
        if (security.insecure()) return problems;
        for (String open : openings(config)) problems.add(open + "; or set security.insecure: true for a lab");
        return problems;
    }

    /** What is reachable from the network without authentication or TLS; warned about at every start when insecure. */
    public static List<String> warnings(TesseraConfig config) {
        return config.security() != null && config.security().insecure() ? openings(config) : List.of();
    }

    private static List<String> openings(TesseraConfig config) {
        List<String> open = new ArrayList<>();
        HttpConfig http = config.http();
        if (!Loopback.isLoopback(http.bindAddress())) {
            // console users log in with a password over this port: they know their callers too (TLS still needed)
            boolean auth = config.security().authenticates() || (config.console() != null && config.console().hasLogin());
            if (!auth || !http.tls().enabled()) {
                open.add("http.bindAddress: " + http.bindAddress() + " is not a loopback address, so the HTTP port needs "
                        + (auth ? "" : "security.oauth.issuer (bearer tokens), security.clients (client certificates), console.usersFile or console.oidc.issuer"
                                + " (console logins)")
                        + (auth || http.tls().enabled() ? "" : " and ")
                        + (http.tls().enabled() ? "" : "http.tls.enabled: true (HTTPS)"));
            }
        }
        DicomConfig dicom = config.dicom();
        if (dicom != null && !Loopback.isLoopback(dicom.bindAddress()) && !dicomAuthenticated(dicom)) {
            open.add("dicom.bindAddress: " + dicom.bindAddress() + " is not a loopback address, so the DICOM port needs "
                    + "dicom.allowedCallingAeTitles with AE@host entries only (e.g. CT1@10.1.2.3, PACS@10.1.0.0/16), "
                    + "or dicom.tls with requireClientCert: true and dicom.port: -1");
        }
        Hl7Config hl7 = config.hl7();
        if (hl7 != null && hl7.enabled() && !Loopback.isLoopback(hl7.bindAddress())) {
            boolean senders = !hl7.allowedSenders().isEmpty() || (hl7.tls().enabled() && hl7.tls().requireClientCert());
            if (!senders || !hl7.tls().enabled()) {
                open.add("hl7.bindAddress: " + hl7.bindAddress() + " is not a loopback address, so the MLLP port needs "
                        + (senders ? "" : "hl7.allowedSenders (the RIS's addresses or networks) or hl7.tls.requireClientCert: true")
                        + (senders || hl7.tls().enabled() ? "" : " and ")
                        + (hl7.tls().enabled() ? "" : "hl7.tls.enabled: true (MLLP over TLS)"));
            }
        }
        return open;
    }

    /** A calling AE title alone is a claim anyone can make; bound to an address or a client certificate it is not. */
    private static boolean dicomAuthenticated(DicomConfig dicom) {
        boolean plainOpen = dicom.port() >= 0;
        boolean allowList = !dicom.allowedCallingAeTitles().isEmpty()
                && dicom.allowedCallingAeTitles().stream().allMatch(e -> e.contains("@"));
        boolean tlsOnlyWithCerts = !plainOpen && dicom.tls().enabled() && dicom.tls().requireClientCert();
        return allowList || tlsOnlyWithCerts;
    }
}
