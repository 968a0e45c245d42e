package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMART scopes enforced by HAPI's interceptors over real HTTP, two patients' results stored. The grant comes from test
 * headers here; in the server it comes from a verified token.
 */
class SmartAuthorizationTest {
    @TempDir static Path dir;
    static Server jetty;
    static String base;
    static FhirResultSet first;
    static FhirResultSet second;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        FhirRepository repo = TestStores.repository(dir);
        first = TestResults.resultSet();
        second = TestResults.MAPPER.map(
                TestResults.segmentation(TestResults.study("1.2.826.0.1.3680043.8.498.30001", "PID-002", "ACC456"),
                        "1.2.826.0.1.3680043.8.498.30002"),
                TestResults.segReference(TestResults.SEG_SOP_UID + ".3"), TestResults.ISSUED, 1);
        repo.store(first);
        repo.store(second);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        Filter grants = (req, resp, chain) -> {
            var http = (jakarta.servlet.http.HttpServletRequest) req;
            String scopes = http.getHeader("X-Test-Scopes");
            if (scopes != null) {
                req.setAttribute(FhirGrant.ATTRIBUTE, new FhirGrant(Set.copyOf(Arrays.asList(scopes.split(" "))),
                        http.getHeader("X-Test-Patient")));
            }
            chain.doFilter(req, resp);
        };
        context.addFilter(new FilterHolder(grants), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(FhirServer.servlet(repo, null, true)), "/fhir/*");
        jetty.setHandler(context);
        jetty.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/fhir";
    }

    @AfterAll
    static void stop() throws Exception {
        if (jetty != null) jetty.stop();
    }

    private static HttpResponse<String> get(String path, String scopes, String patient) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/fhir+json");
        if (scopes != null) b.header("X-Test-Scopes", scopes);
        if (patient != null) b.header("X-Test-Patient", patient);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int total(HttpResponse<String> r) {
        return FhirContexts.r4().newJsonParser().parseResource(Bundle.class, r.body()).getEntry().size();
    }

    @Test
    void without_a_grant_only_the_capability_statement_answers() throws Exception {
        assertEquals(200, get("/metadata", null, null).statusCode());
        assertEquals(403, get("/DiagnosticReport", null, null).statusCode());
        assertEquals(403, get("/Patient/" + first.patient().getIdElement().getIdPart(), null, null).statusCode());
    }

    @Test
    void a_system_scope_reads_its_type_and_nothing_else() throws Exception {
        for (String scope : new String[] {"system/DiagnosticReport.read", "system/DiagnosticReport.rs", "system/*.read", "user/DiagnosticReport.read"}) {
            HttpResponse<String> r = get("/DiagnosticReport", scope, null);
            assertEquals(200, r.statusCode(), scope + ": " + r.body());
            assertEquals(2, total(r), scope);
        }
        assertEquals(403, get("/Patient", "system/DiagnosticReport.read", null).statusCode());
        assertEquals(403, get("/Observation", "system/DiagnosticReport.rs", null).statusCode());
        assertEquals(403, get("/DiagnosticReport", "system/DiagnosticReport.write", null).statusCode(), "write is not read");
        assertEquals(403, get("/DiagnosticReport", "system/DiagnosticReport.rs?category=RAD", null).statusCode(),
                "a restricted v2 scope is not honoured as an unrestricted one");
    }

    @Test
    void a_patient_scope_sees_only_its_patient() throws Exception {
        String mine = first.patient().getIdElement().getIdPart();
        String theirs = second.patient().getIdElement().getIdPart();
        HttpResponse<String> reports = get("/DiagnosticReport", "patient/DiagnosticReport.read", mine);
        assertEquals(200, reports.statusCode(), reports.body());
        assertEquals(1, total(reports), "searches are narrowed to the token's patient");
        assertTrue(reports.body().contains(first.reportId()) && !reports.body().contains(second.reportId()));
        HttpResponse<String> patients = get("/Patient", "patient/*.read", mine);
        assertEquals(200, patients.statusCode(), patients.body());
        assertEquals(1, total(patients));
        assertEquals(200, get("/DiagnosticReport/" + first.reportId(), "patient/*.rs", mine).statusCode());
        assertEquals(403, get("/DiagnosticReport/" + second.reportId(), "patient/*.rs", mine).statusCode(),
                "another patient's report by id");
        assertEquals(403, get("/Patient/" + theirs, "patient/*.rs", mine).statusCode());
        assertEquals(403, get("/DiagnosticReport", "patient/DiagnosticReport.read", null).statusCode(),
                "a patient scope without a patient grants nothing");
    }

    @Test
    void scopes_parse_v1_and_v2_forms() {
        SmartScope v2 = SmartScope.parse("system/Observation.rs").orElseThrow();
        assertTrue(v2.read() && v2.search() && !v2.create());
        SmartScope c = SmartScope.parse("system/DiagnosticReport.c").orElseThrow();
        assertTrue(c.create() && !c.read());
        SmartScope all = SmartScope.parse("system/*.*").orElseThrow();
        assertTrue(all.read() && all.create() && all.covers("Patient"));
        assertFalse(SmartScope.parse("openid").isPresent());
        assertFalse(SmartScope.parse("system/Observation.").isPresent());
        assertFalse(SmartScope.parse("system/observation.read").isPresent());
    }
}
