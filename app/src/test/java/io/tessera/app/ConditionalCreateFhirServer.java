package io.tessera.app;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import io.tessera.fhir.FhirContexts;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A FHIR R4 server for tests: HAPI's RestfulServer on Jetty (real HTTP on loopback, real FHIR parsing and error
 * rendering as OperationOutcome), with an in-memory store whose system-level transaction honours conditional create
 * ({@code ifNoneExist: identifier=system|value}) and conditional update ({@code PUT Type?identifier=system|value})
 * and resolves {@code urn:uuid:} references to the ids it assigned or
 * found — what a HAPI JPA server or any conformant server does. The store survives {@link #stop()}/{@link #start()}
 * (an outage of the HTTP front, not data loss). {@link #failWith} makes the next transactions fail with a status.
 */
final class ConditionalCreateFhirServer implements AutoCloseable {
    private final int port;
    private final Map<String, Resource> store = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    final AtomicInteger transactions = new AtomicInteger();
    volatile int failStatus;
    volatile String lastAuthorization;
    private Server jetty;

    ConditionalCreateFhirServer(int port) {
        this.port = port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    void start() throws Exception {
        RestfulServer fhir = new RestfulServer(FhirContexts.r4());
        fhir.setDefaultResponseEncoding(EncodingEnum.JSON);
        fhir.registerProvider(new TransactionProvider());
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(fhir), "/fhir/*");
        jetty.setHandler(context);
        jetty.start();
    }

    void stop() throws Exception {
        if (jetty != null) jetty.stop();
        jetty = null;
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /** Next transactions answer {@code status} (0: work normally). */
    void failWith(int status) {
        failStatus = status;
    }

    synchronized List<Resource> all(String type) {
        return store.values().stream().filter(r -> r.fhirType().equals(type)).toList();
    }

    private synchronized Bundle apply(Bundle in) {
        transactions.incrementAndGet();
        if (failStatus == 400) {
            throw new InvalidRequestException("Observation.code: minimum required = 1, but only found 0");
        }
        if (failStatus != 0) throw new UnclassifiedServerFailureException(failStatus, "server busy, try later");
        Map<String, String> resolved = new HashMap<>();
        Bundle out = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        List<Resource> created = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : in.getEntry()) {
            Resource r = e.getResource();
            String url = e.getRequest().getUrl();
            boolean update = e.getRequest().getMethod() == Bundle.HTTPVerb.PUT;
            String type = update ? url.substring(0, url.indexOf('?')) : url;
            Resource existing = find(type, update ? url.substring(url.indexOf('?') + 1) : e.getRequest().getIfNoneExist());
            String ref;
            if (existing != null && update) { // conditional update: the same id, the new content
                ref = type + "/" + existing.getIdElement().getIdPart();
                r.setId(ref);
                created.add(r);
                out.addEntry().getResponse().setStatus("200 OK").setLocation(ref);
            } else if (existing != null) {
                ref = type + "/" + existing.getIdElement().getIdPart();
                out.addEntry().getResponse().setStatus("200 OK").setLocation(ref);
            } else {
                ref = type + "/" + ids.incrementAndGet();
                r.setId(ref);
                created.add(r);
                out.addEntry().getResponse().setStatus("201 Created").setLocation(ref + "/_history/1");
            }
            resolved.put(e.getFullUrl(), ref);
        }
        FhirContext ctx = FhirContexts.r4();
        for (Resource r : created) {
            for (Reference ref : ctx.newTerser().getAllPopulatedChildElementsOfType(r, Reference.class)) {
                String target = resolved.get(ref.getReference());
                if (target != null) ref.setReference(target);
            }
            store.put(r.getIdElement().getValue(), r);
        }
        return out;
    }

    private Resource find(String type, String ifNoneExist) {
        if (ifNoneExist == null || !ifNoneExist.startsWith("identifier=")) return null;
        String token = ifNoneExist.substring("identifier=".length());
        int bar = token.indexOf('|');
        String system = bar < 0 ? null : URLDecoder.decode(token.substring(0, bar), StandardCharsets.UTF_8);
        String value = URLDecoder.decode(bar < 0 ? token : token.substring(bar + 1), StandardCharsets.UTF_8);
        for (Resource r : all(type)) {
            for (Identifier id : FhirContexts.r4().newTerser().getValues(r, "identifier", Identifier.class)) {
                if (value.equals(id.getValue()) && (system == null || system.equals(id.getSystem()))) return r;
            }
        }
        return null;
    }

    /** A plain (system-level) provider: the transaction endpoint {@code POST [base]}. */
    public final class TransactionProvider {
        @Transaction
        public Bundle transaction(@TransactionParam Bundle in, jakarta.servlet.http.HttpServletRequest request) {
            lastAuthorization = request.getHeader("Authorization");
            return apply(in);
        }
    }
}
