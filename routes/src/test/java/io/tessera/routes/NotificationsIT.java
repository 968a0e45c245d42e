package io.tessera.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.hl7v2.model.v25.message.ORU_R01;
import ca.uhn.hl7v2.model.v25.segment.OBR;
import ca.uhn.hl7v2.model.v25.segment.OBX;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import io.tessera.config.DeliveryConfig;
import io.tessera.config.DestinationConfig;
import io.tessera.config.Hl7DestinationConfig;
import io.tessera.fhir.FhirRepository;
import io.tessera.fhir.FhirResultSet;
import io.tessera.fhir.FhirServer;
import io.tessera.fhir.FhirValidator;
import io.tessera.fhir.Subscriptions;
import io.tessera.listener.IndexPool;
import io.tessera.listener.StudyIndex;
import io.tessera.testkit.MllpListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications end to end on real parts: the index database (H2 with every migration), the FHIR store with
 * Subscriptions, Tessera's FHIR endpoint on Jetty, the persisted outbox driven by its Camel timer route, a rest-hook
 * receiver on Jetty and an MLLP listener on plain sockets, all on 127.0.0.1 and free ports.
 */
class NotificationsIT {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final DeliveryConfig DELIVERY = new DeliveryConfig(Duration.ofMillis(200), Duration.ofMillis(800), 100,
            Duration.ofHours(1), 3);
    @TempDir Path dir;
    final List<AutoCloseable> started = new ArrayList<>();
    final Clock clock = Clock.systemUTC();
    FhirRepository fhir;
    Destinations destinations;
    Outbox outbox;
    OutboxStore store;
    MllpListener ris;
    String fhirBase;
    IndexPool pool;

    @BeforeEach
    void start() throws Exception {
        pool = IndexPool.open(url());
        started.add(pool);
        StudyIndex index = new StudyIndex(pool, dir.resolve("spool"), clock);
        store = new OutboxStore(pool);
        Subscriptions subscriptions = new Subscriptions(pool.dataSource(), SubscriptionDestination.queue(clock), clock, false);
        fhir = new FhirRepository(pool.dataSource(), clock).withSubscriptions(subscriptions);
        ris = new MllpListener();
        started.add(ris);
        destinations = Destinations.of(List.of(new DestinationConfig("ris", "hl7", null, "127.0.0.1", ris.port(), null, null,
                null, Duration.ofSeconds(5), null, false, new Hl7DestinationConfig("RIS", "HOSP", null, null))));
        Deliverer deliverer = new Deliverer("TESSERA");
        outbox = new Outbox(store, destinations, (d, e) -> deliverer.deliver(d, e.studyUid(), e.sopInstanceUid(),
                Path.of(e.filePath())), deliverer::echo, new IndexStudies(index), DELIVERY, clock, Math::random)
                .alsoSendingTo(SubscriptionDestination.resolver(subscriptions));
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutesConfigurations(new ErrorPolicy());
        camel.addRoutes(new OutboxRoute(outbox, 100));
        camel.start();
        started.add(0, () -> outbox.stop(Duration.ofSeconds(5)));
        started.add(0, camel::stop);
        Server endpoint = NotifyFixtures.jetty(0, "/fhir/*", FhirServer.servlet(fhir));
        started.add(0, endpoint::stop);
        fhirBase = "http://127.0.0.1:" + NotifyFixtures.port(endpoint) + "/fhir";
    }

    /** The index database: embedded H2 here, PostgreSQL in {@link NotificationsPostgresIT}. */
    String url() {
        return "jdbc:h2:file:" + dir.resolve("index") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : started) c.close();
    }

    private String subscribe(String endpoint) throws Exception {
        String body = """
                {"resourceType":"Subscription","status":"requested","reason":"AI results",
                 "criteria":"DiagnosticReport?status=preliminary&category=RAD",
                 "channel":{"type":"rest-hook","endpoint":"%s","payload":"application/fhir+json",
                            "header":["Authorization: Bearer ehr-token"]}}""".formatted(endpoint);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(fhirBase + "/Subscription"))
                .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        String id = r.headers().firstValue("Location").orElseThrow().replaceAll(".*/Subscription/([^/]+).*", "$1");
        String served = HTTP.send(HttpRequest.newBuilder(URI.create(fhirBase + "/Subscription/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(served.contains("\"status\":\"active\"") && !served.contains("ehr-token"), served);
        assertEquals(List.of(), FhirValidator.shared().errors(served), "the served Subscription is valid R4");
        return id;
    }

    @Test
    void a_rest_hook_gets_each_new_result_within_5_s_and_after_being_down_for_a_while() throws Exception {
        NotifyFixtures.Hook hook = new NotifyFixtures.Hook();
        Server receiver = NotifyFixtures.jetty(0, "/*", hook);
        int port = NotifyFixtures.port(receiver);
        try {
            String id = subscribe("http://127.0.0.1:" + port + "/ehr");
            FhirResultSet first = NotifyFixtures.resultSet(1);
            Instant stored = Instant.now();
            fhir.store(first);
            await().atMost(Duration.ofSeconds(5)).until(() -> !hook.got.isEmpty());
            NotifyFixtures.Hook.Got got = hook.got.get(0);
            assertTrue(Duration.between(stored, got.at()).toMillis() < 5000);
            assertEquals("PUT", got.method());
            assertEquals("/ehr/DiagnosticReport/" + first.reportId(), got.path());
            assertEquals("Bearer ehr-token", got.authorization());
            assertTrue(got.body().contains("\"resourceType\":\"DiagnosticReport\"") && got.body().contains(first.reportId()));

            receiver.stop(); // the EHR's receiver goes down
            FhirResultSet second = NotifyFixtures.resultSet(2);
            fhir.store(second);
            String destination = SubscriptionDestination.PREFIX + id;
            await().atMost(Duration.ofSeconds(15)).until(() -> store.open().stream()
                    .anyMatch(e -> e.destination().equals(destination) && e.attempts() >= 3));
            String status = HTTP.send(HttpRequest.newBuilder(URI.create(fhirBase + "/Subscription/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(status.contains("\"status\":\"error\"") && status.contains("TSR-0641"), status);

            receiver = NotifyFixtures.jetty(port, "/*", hook); // and comes back on its address
            await().atMost(Duration.ofSeconds(10)).until(() -> hook.got.stream()
                    .anyMatch(g -> g.path().equals("/ehr/DiagnosticReport/" + second.reportId())));
            await().atMost(Duration.ofSeconds(5)).until(() -> store.open().stream().noneMatch(e -> e.destination().equals(destination)));
            String back = HTTP.send(HttpRequest.newBuilder(URI.create(fhirBase + "/Subscription/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(back.contains("\"status\":\"active\""), back);
            assertEquals(2, hook.got.size(), "one notification per new report version, nothing twice");
        } finally {
            receiver.stop();
        }
    }

    @Test
    void a_notice_queued_twice_is_one_outbox_entry_and_the_transaction_goes_on() throws Exception {
        Subscriptions.Queue queue = SubscriptionDestination.queue(clock);
        Subscriptions.Notice notice = new Subscriptions.Notice("sub-1", "DiagnosticReport/abc/_history/2");
        try (java.sql.Connection c = pool.dataSource().getConnection()) {
            c.setAutoCommit(false);
            queue.enqueue(c, notice);
            queue.enqueue(c, notice); // a failed INSERT here would abort the whole transaction on PostgreSQL
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM outbox")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
            c.commit();
        }
        List<OutboxEntry> entries = store.open().stream().filter(e -> e.destination().equals("subscription:sub-1")).toList();
        assertEquals(1, entries.size());
        assertEquals(List.of("sub-1", "DiagnosticReport/abc/_history/2"), List.of(entries.get(0).studyUid(), entries.get(0).filePath()));
    }

    @Test
    void an_oru_r01_reaches_the_mllp_listener_and_an_ae_parks_with_the_reason() throws Exception {
        Path log = Path.of("target", "test-logs", "routes.log"); // collects every run's log: read this test's part
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        FhirResultSet set = NotifyFixtures.resultSet(3);
        Path seg = Files.createDirectories(dir.resolve("results/3")).resolve("seg.dcm");
        Files.writeString(seg, "not read by an hl7 destination");
        Destination risDest = destinations.get("ris").orElseThrow();
        new ResultEnqueuer(outbox).enqueue(set.studyInstanceUid(), 1, List.of(risDest), NotifyFixtures.segSop(3), seg, set, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> !ris.received.isEmpty()
                && store.open().stream().noneMatch(e -> e.destination().equals("ris")));
        String msg = ris.received.get(0);
        PipeParser parser = new PipeParser(new CanonicalModelClassFactory("2.5"));
        ORU_R01 oru = (ORU_R01) parser.parse(msg);
        assertEquals("ORU", oru.getMSH().getMessageType().getMessageCode().getValue());
        assertEquals("R01", oru.getMSH().getMessageType().getTriggerEvent().getValue());
        assertEquals("2.5.1", oru.getMSH().getVersionID().getVersionID().getValue());
        assertEquals("RIS", oru.getMSH().getReceivingApplication().getNamespaceID().getValue());
        assertEquals("PID-3", oru.getPATIENT_RESULT().getPATIENT().getPID().getPatientIdentifierList(0).getIDNumber().getValue());
        OBR obr = oru.getPATIENT_RESULT().getORDER_OBSERVATION().getOBR();
        assertEquals("ACC-3", obr.getFillerOrderNumber().getEntityIdentifier().getValue());
        assertEquals("P", obr.getResultStatus().getValue());
        List<String> obx = new ArrayList<>();
        for (int i = 0; i < oru.getPATIENT_RESULT().getORDER_OBSERVATION().getOBSERVATIONReps(); i++) {
            OBX x = oru.getPATIENT_RESULT().getORDER_OBSERVATION().getOBSERVATION(i).getOBX();
            obx.add(x.getValueType().getValue() + " " + x.getObservationIdentifier().getIdentifier().getValue() + " "
                    + x.getObservationIdentifier().getNameOfCodingSystem().getValue() + " " + x.encode());
        }
        String all = String.join("\n", obx);
        assertEquals("Phitest", oru.getPATIENT_RESULT().getPATIENT().getPID().getPatientName(0).getFamilyName().getSurname().getValue());
        assertTrue(all.contains("CWE 363698007 SCT") && all.contains("|10200004^Liver^SCT|"), all);
        assertTrue(obx.stream().anyMatch(s -> s.startsWith("NM 118565006 SCT") && s.contains("|mL^mL^UCUM|")), all);
        assertTrue(all.contains("TX 19005-8 LN"), all);
        assertTrue(all.contains("|" + set.studyInstanceUid() + "|") && all.contains("|" + NotifyFixtures.segSop(3) + "|"), all);

        ris.ackCode = "AE";
        FhirResultSet refused = NotifyFixtures.resultSet(4);
        new ResultEnqueuer(outbox).enqueue(refused.studyInstanceUid(), 1, List.of(risDest), NotifyFixtures.segSop(4), seg,
                refused, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.open().stream()
                .anyMatch(e -> e.destination().equals("ris") && e.state() == OutboxEntry.State.PARKED));
        OutboxEntry parked = store.open().stream().filter(e -> e.destination().equals("ris")).findFirst().orElseThrow();
        assertTrue(parked.lastError().contains("TSR-0732") && parked.lastError().contains("AE")
                && parked.lastError().contains("Unknown order"), parked.lastError());
        assertEquals(1, parked.attempts(), "a refusal is not retried");
        byte[] bytes = Files.readAllBytes(log);
        String logged = new String(bytes, (int) logStart, bytes.length - (int) logStart, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(logged.contains("TSR-0732"), "this test's log was read");
        assertTrue(!logged.contains("Phitest") && !logged.contains("Zzmarker") && !logged.contains("PID-3"),
                "the ORU's patient data is never logged:\n" + logged);
    }
}
