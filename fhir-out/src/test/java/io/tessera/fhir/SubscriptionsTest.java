package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subscriptions over real HTTP on the endpoint (SMART scopes from test headers, as in {@link SmartAuthorizationTest}),
 * notices queued by {@link FhirRepository#store} into a list standing in for the outbox, and notifications sent to a
 * Jetty receiver.
 */
class SubscriptionsTest {
    static final String SCOPE = "system/Subscription.cruds";
    @TempDir static Path dir;
    static Server jetty;
    static String base;
    static FhirRepository repo;
    static Subscriptions subscriptions;
    static HookReceiver receiver;
    static final List<Subscriptions.Notice> QUEUED = new CopyOnWriteArrayList<>();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        var db = TestStores.database(dir);
        subscriptions = new Subscriptions(db, (tx, n) -> QUEUED.add(n), Clock.systemUTC(), false);
        repo = new FhirRepository(db).withSubscriptions(subscriptions);
        receiver = new HookReceiver(0);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        Filter grants = (req, resp, chain) -> {
            String scopes = ((jakarta.servlet.http.HttpServletRequest) req).getHeader("X-Test-Scopes");
            if (scopes != null) req.setAttribute(FhirGrant.ATTRIBUTE, new FhirGrant(Set.copyOf(Arrays.asList(scopes.split(" "))), null));
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
        if (receiver != null) receiver.close();
    }

    @BeforeEach
    void clear() {
        QUEUED.clear();
        receiver.received.clear();
        receiver.answer.set(200);
    }

    static String subscription(String criteria, String endpoint, String payload, String... headers) {
        StringBuilder h = new StringBuilder();
        for (String x : headers) h.append(h.length() == 0 ? "" : ",").append('"').append(x).append('"');
        return """
                {"resourceType":"Subscription","status":"requested","reason":"AI results for the EHR",
                 "criteria":"%s","channel":{"type":"rest-hook","endpoint":"%s"%s%s}}"""
                .formatted(criteria, endpoint, payload == null ? "" : ",\"payload\":\"" + payload + "\"",
                        headers.length == 0 ? "" : ",\"header\":[" + h + "]");
    }

    static HttpResponse<String> send(String method, String path, String scopes, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/fhir+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/fhir+json");
        if (scopes != null) b.header("X-Test-Scopes", scopes);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Subscription parse(String json) {
        return FhirContexts.r4().newJsonParser().parseResource(Subscription.class, json);
    }

    static String create(String criteria, String payload, String... headers) throws Exception {
        HttpResponse<String> r = send("POST", "/Subscription", SCOPE, subscription(criteria, receiver.url("/hook"), payload, headers));
        assertEquals(201, r.statusCode(), r.body());
        return parse(r.body()).getIdPart();
    }

    @Test
    void a_created_subscription_is_active_served_with_headers_redacted_and_valid() throws Exception {
        String id = create("DiagnosticReport?status=preliminary", "application/fhir+json", "Authorization: Bearer s3cret");
        HttpResponse<String> read = send("GET", "/Subscription/" + id, SCOPE, null);
        assertEquals(200, read.statusCode(), read.body());
        Subscription s = parse(read.body());
        assertEquals(Subscription.SubscriptionStatus.ACTIVE, s.getStatus());
        assertEquals("1", s.getMeta().getVersionId());
        assertEquals("Authorization: [redacted]", s.getChannel().getHeader().get(0).getValue());
        assertTrue(!read.body().contains("s3cret"), "the credential never leaves in a read");
        assertEquals(List.of(), FhirValidator.shared().errors(read.body()));
        HttpResponse<String> list = send("GET", "/Subscription", "system/Subscription.rs", null);
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains(id));
    }

    @Test
    void unsupported_criteria_channels_and_endpoints_are_refused_with_400() throws Exception {
        String hook = receiver.url("/hook");
        for (String body : List.of(
                subscription("Patient?name=x", hook, null),
                subscription("DiagnosticReport?colour=blue", hook, null),
                subscription("DiagnosticReport?_include=DiagnosticReport:result", hook, null),
                subscription("DiagnosticReport?status:text=pre", hook, null),
                subscription("DiagnosticReport?status=final", "http://ehr.example.org/hook", null),
                subscription("DiagnosticReport?status=final", hook, "text/plain"),
                subscription("DiagnosticReport?status=final", hook, null, "no colon"),
                subscription("DiagnosticReport?status=final", hook, null, "Host: other"))) {
            HttpResponse<String> r = send("POST", "/Subscription", SCOPE, body);
            assertEquals(400, r.statusCode(), body + " -> " + r.body());
            assertTrue(r.body().contains("OperationOutcome") && r.body().contains("TSR-0640"), r.body());
        }
        String email = subscription("DiagnosticReport?status=final", hook, null).replace("rest-hook", "email");
        assertEquals(400, send("POST", "/Subscription", SCOPE, email).statusCode());
    }

    @Test
    void managing_subscriptions_needs_a_subscription_scope() throws Exception {
        String body = subscription("DiagnosticReport?status=final", receiver.url("/hook"), null);
        assertEquals(403, send("POST", "/Subscription", null, body).statusCode());
        assertEquals(403, send("POST", "/Subscription", "system/DiagnosticReport.cruds", body).statusCode());
        assertEquals(403, send("POST", "/Subscription", "system/Subscription.rs", body).statusCode());
        assertEquals(403, send("POST", "/Subscription", "patient/Subscription.cruds", body).statusCode());
        assertEquals(201, send("POST", "/Subscription", "system/Subscription.write", body).statusCode());
        String id = create("DiagnosticReport?status=final", null);
        assertEquals(403, send("DELETE", "/Subscription/" + id, "system/Subscription.cr", null).statusCode());
        assertEquals(204, send("DELETE", "/Subscription/" + id, "system/Subscription.d", null).statusCode());
        assertEquals(404, send("GET", "/Subscription/" + id, SCOPE, null).statusCode());
    }

    @Test
    void a_new_matching_version_queues_one_notice_per_matching_subscription() throws Exception {
        FhirResultSet set = TestResults.MAPPER.map(
                TestResults.segmentation(TestResults.study("1.2.826.0.1.3680043.8.498.40001", "PID-040", "ACC040"),
                        "1.2.826.0.1.3680043.8.498.40002"),
                TestResults.segReference(TestResults.SEG_SOP_UID + ".40"), TestResults.ISSUED, 1);
        String patient = set.patient().getIdElement().getIdPart();
        String byPatient = create("DiagnosticReport?patient=Patient/" + patient + "&category=RAD", null);
        String prelim = create("DiagnosticReport?status=preliminary&_id=" + set.reportId(), null);
        String otherPatient = create("DiagnosticReport?patient=Patient/nobody", null);
        String observations = create("Observation?subject=Patient/" + patient, null);
        repo.store(set);
        List<String> notified = QUEUED.stream().map(Subscriptions.Notice::subscriptionId).toList();
        assertTrue(notified.contains(byPatient) && notified.contains(prelim), notified.toString());
        assertTrue(!notified.contains(otherPatient), notified.toString());
        assertEquals(set.observations().size(), notified.stream().filter(observations::equals).count(), notified.toString());
        assertTrue(QUEUED.stream().filter(n -> n.subscriptionId().equals(byPatient)).allMatch(n ->
                n.focus().equals("DiagnosticReport/" + set.reportId() + "/_history/1")), QUEUED.toString());
        QUEUED.clear();
        repo.store(set); // a redelivered result makes no version, so no notice
        assertEquals(List.of(), QUEUED);
        for (String id : List.of(byPatient, prelim, otherPatient, observations)) send("DELETE", "/Subscription/" + id, SCOPE, null);
    }

    @Test
    void notifications_carry_the_header_and_the_payload_and_failures_set_error_until_a_success() throws Exception {
        FhirResultSet set = TestResults.MAPPER.map(
                TestResults.segmentation(TestResults.study("1.2.826.0.1.3680043.8.498.50001", "PID-050", "ACC050"),
                        "1.2.826.0.1.3680043.8.498.50002"),
                TestResults.segReference(TestResults.SEG_SOP_UID + ".50"), TestResults.ISSUED, 1);
        repo.store(set);
        String focus = "DiagnosticReport/" + set.reportId() + "/_history/1";
        String full = create("DiagnosticReport?status=preliminary", "application/fhir+json", "Authorization: Bearer s3cret");
        subscriptions.notify(full, focus);
        HookReceiver.Received got = receiver.received.get(0);
        assertEquals("PUT", got.method());
        assertEquals("/hook/DiagnosticReport/" + set.reportId(), got.path());
        assertEquals("Bearer s3cret", got.authorization());
        DiagnosticReport sent = FhirContexts.r4().newJsonParser().parseResource(DiagnosticReport.class, got.body());
        assertEquals(set.reportId(), sent.getIdElement().getIdPart());

        String ping = create("DiagnosticReport?status=preliminary", null, "Authorization: Bearer s3cret");
        receiver.received.clear();
        subscriptions.notify(ping, focus);
        assertEquals("POST", receiver.received.get(0).method());
        assertEquals("", receiver.received.get(0).body());

        String idOnly = subscription("DiagnosticReport?status=preliminary", receiver.url("/hook"), "application/fhir+json")
                .replace("\"payload\":", "\"_payload\":{\"extension\":[{\"url\":\"" + SubscriptionRules.PAYLOAD_CONTENT
                        + "\",\"valueCode\":\"id-only\"}]},\"payload\":");
        HttpResponse<String> madeIdOnly = send("POST", "/Subscription", SCOPE, idOnly);
        assertEquals(201, madeIdOnly.statusCode(), madeIdOnly.body());
        receiver.received.clear();
        subscriptions.notify(parse(madeIdOnly.body()).getIdPart(), focus);
        HookReceiver.Received named = receiver.received.get(0);
        assertEquals("POST", named.method());
        org.hl7.fhir.r4.model.Bundle b = FhirContexts.r4().newJsonParser().parseResource(org.hl7.fhir.r4.model.Bundle.class, named.body());
        assertEquals(org.hl7.fhir.r4.model.Bundle.BundleType.HISTORY, b.getType());
        assertEquals("DiagnosticReport/" + set.reportId(), b.getEntryFirstRep().getRequest().getUrl());
        assertTrue(!b.getEntryFirstRep().hasResource(), "id-only carries no resource");

        receiver.answer.set(503);
        for (int i = 1; i <= Subscriptions.ERROR_AFTER; i++) {
            NotifyException e = org.junit.jupiter.api.Assertions.assertThrows(NotifyException.class,
                    () -> subscriptions.notify(ping, focus));
            assertEquals(503, e.status());
            assertTrue(!e.getMessage().contains("s3cret"));
        }
        Subscription failed = parse(send("GET", "/Subscription/" + ping, SCOPE, null).body());
        assertEquals(Subscription.SubscriptionStatus.ERROR, failed.getStatus());
        assertTrue(failed.getError().contains("TSR-0642") && failed.getError().contains("503"), failed.getError());
        receiver.answer.set(200);
        subscriptions.notify(ping, focus);
        Subscription back = parse(send("GET", "/Subscription/" + ping, SCOPE, null).body());
        assertEquals(Subscription.SubscriptionStatus.ACTIVE, back.getStatus());
        assertNull(back.getError());

        // an update that sends the header back as read keeps its stored value
        HttpResponse<String> upd = send("PUT", "/Subscription/" + ping, SCOPE,
                subscription("DiagnosticReport?status=final", receiver.url("/hook"), null, "Authorization: [redacted]")
                        .replace("{\"resourceType\":\"Subscription\",", "{\"resourceType\":\"Subscription\",\"id\":\"" + ping + "\","));
        assertEquals(200, upd.statusCode(), upd.body());
        receiver.received.clear();
        subscriptions.notify(ping, focus);
        assertEquals("Bearer s3cret", receiver.received.get(0).authorization());
    }
}
