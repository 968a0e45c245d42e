package io.tessera.app;

import io.tessera.config.ClientCertificateConfig;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * The configured machine clients by certificate subject. The TLS layer has already checked the chain against the
 * trust store; this only names the client. Subjects compare as X.500 names, so spacing and case of attribute types do
 * not matter.
 */
final class ClientCertificates {
    private final Map<X500Principal, ClientCertificateConfig> bySubject = new LinkedHashMap<>();

    ClientCertificates(List<ClientCertificateConfig> clients) {
        for (ClientCertificateConfig c : clients) bySubject.put(new X500Principal(c.subject()), c);
    }

    /** The caller for the peer's certificate chain, or null when the certificate names no configured client. */
    Caller callerFor(X509Certificate[] chain, String address) {
        if (chain == null || chain.length == 0) return null;
        X500Principal subject = chain[0].getSubjectX500Principal();
        ClientCertificateConfig client = bySubject.get(subject);
        if (client == null) return null;
        return new Caller(client.name(), subject.getName(X500Principal.RFC2253), "certificate", Set.copyOf(client.scopes()),
                null, address);
    }

    boolean isEmpty() {
        return bySubject.isEmpty();
    }
}
