package io.tessera.app;

import io.tessera.config.ConfigException;
import io.tessera.config.ConfigLoader;
import io.tessera.config.Hl7Config;
import io.tessera.config.TesseraConfig;
import io.tessera.fhir.FhirRepository;
import io.tessera.fhir.FhirResultMapper;
import io.tessera.fhir.FhirServer;
import io.tessera.inference.InferenceSettings;
import io.tessera.inference.ModelRegistry;
import io.tessera.inference.Segmenter;
import io.tessera.listener.DicomListener;
import io.tessera.listener.ListenerSettings;
import io.tessera.listener.IndexDatabase;
import io.tessera.listener.IndexPool;
import io.tessera.listener.StudyIndex;
import io.tessera.routes.CompletionPoller;
import io.tessera.routes.Deliverer;
import io.tessera.routes.Destinations;
import io.tessera.routes.ErrorPolicy;
import io.tessera.routes.JobRunner;
import io.tessera.routes.Outbox;
import io.tessera.routes.OutboxRoute;
import io.tessera.routes.JobRecords;
import io.tessera.routes.SeriesDecisions;
import io.tessera.routes.OutboxStore;
import io.tessera.routes.StudyPlanner;
import io.tessera.routes.StudyProcessor;
import io.tessera.routes.TesseraRoutes;
import io.tessera.routes.cluster.ClusterNode;
import io.tessera.routes.reports.FhirReports;
import io.tessera.routes.reports.Hl7ReportHandler;
import io.tessera.routes.reports.Hl7Route;
import io.tessera.routes.reports.Hl7Senders;
import io.tessera.routes.reports.ReportArrivals;
import io.tessera.routes.reports.ReportIntake;
import io.tessera.routes.reports.ReportStore;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.tessera.grounding.Lexicon;
import io.tessera.grounding.ReportParser;
import java.util.concurrent.atomic.AtomicReference;
import io.tessera.routes.reports.StudyReports;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part from the configuration and starts them in dependency order — index, the
 * audit log, the spool's recovery (write-ahead log replayed, every spooled instance indexed) before anything can
 * complete or process a study, then models, routes, HTTP, and the DICOM listener last so nothing is accepted before
 * it can be processed. Studies caught by a stop or crash are resumed once quiet since the restart.
 *
 * <p>{@link #close()} is the one shutdown order: stop intake (DICOM, HTTP, HL7), let running jobs finish for
 * {@code inference.stopGrace} then terminate them (their studies are handed back, QUEUED, for the next start), stop the routes
 * (the outbox's sends in progress end; what is pending stays persisted), close the stores and the ONNX Runtime
 * sessions (none runs any more), and the audit log last, so exports made while stopping are audited.
 */
public final class TesseraServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TesseraServer.class);
    /**
     * How long a stop lets DICOM associations in progress go on; then they are aborted. What was acknowledged is
     * durable; the sender re-sends the rest. With the default {@code inference.stopGrace} (5 s) a
     * stop stays within the 10 s orchestrators usually allow.
     */
    static final java.time.Duration INTAKE_GRACE = java.time.Duration.ofSeconds(3);
    private final List<AutoCloseable> started = new ArrayList<>();
    private StudyIndex index;
    private io.tessera.listener.AuditLog audit;
    private StudyProcessor processor;
    private java.time.Duration stopGrace;
    private Outbox outbox;
    private ReportIntake reports;
    private ModelRegistry models;
    private DicomListener listener;
    private ServerMetrics metrics;
    private HttpServer http;
    private volatile boolean accepting;
    /** Where a study to (re-)process goes: the in-process queue, or in a cluster the broker's ({@link ClusterNode}). */
    private String studyQueue = TesseraRoutes.STUDY_QUEUE + "?waitForTaskToComplete=Never";
    private IndexPool indexPool;
    private io.tessera.app.console.ConsoleLogin console;

    private TesseraServer() {}

    private volatile String dicomSummary = "off";

    public static TesseraServer start(TesseraConfig config) throws Exception {
        TesseraServer s = new TesseraServer();
        try {
            s.startAll(config);
            return s;
        } catch (Exception e) {
            s.close();
            throw e;
        }
    }

    private void startAll(TesseraConfig config) throws Exception {
        List<String> insecure = io.tessera.config.SecureDefaults.problems(config); // also when not loaded from a file
        if (!insecure.isEmpty()) throw new ConfigException(insecure);
        io.tessera.config.SecureDefaults.warnings(config).forEach(w ->
                log.warn("TSR-0813: security.insecure is true: {} (open to the network without authentication or TLS)", w));
        Clock clock = Clock.systemUTC();
        stopGrace = config.inference().stopGrace();
        loadModels(config);
        Path storage = Path.of(config.storage().dir()).toAbsolutePath();
        // patient data: no other local user may list or read it (subfolders made 0700, spooled files 0600)
        io.tessera.core.OwnerOnly.createDirectories(storage);
        try {
            if (io.tessera.core.OwnerOnly.restrictDirectory(storage)) log.info("storage folder {} made rwx------ (owner only)", storage);
        } catch (java.io.IOException e) { // e.g. a mounted folder owned by another user: it still works, less private
            log.warn("TSR-0806: storage folder {} could not be made owner-only (rwx------): {}", storage, e.toString());
        }
        IndexDatabase login = indexLogin(config, storage);
        // One pool, one login check and one schema migration for every store; closed after them (only the audit log
        // outlives it).
        IndexPool db = IndexPool.open(login);
        started.add(0, db);
        indexPool = db;
        java.time.Instant restartedAt = openIndexAndRecover(config, storage, db, clock);
        Destinations destinations = Destinations.of(config.destinations()); // each made once, by its type
        Stores stores = openStores(db);
        openOutbox(config, destinations, stores.outbox(), clock);
        AtomicReference<ProducerTemplate> requeue = openReportIntake(db, clock);
        FhirRepository fhir = new FhirRepository(db.dataSource());
        fhir.importFiles(storage.resolve("fhir")); // result sets an earlier Tessera kept as files
        if (config.fhir().enabled()) { // Subscriptions: notices queued with each result version, sent by the outbox
            io.tessera.fhir.Subscriptions subscriptions = new io.tessera.fhir.Subscriptions(db.dataSource(),
                    io.tessera.routes.SubscriptionDestination.queue(clock), clock, config.fhir().allowsPlainHttpSubscriptions());
            fhir.withSubscriptions(subscriptions);
            outbox.alsoSendingTo(io.tessera.routes.SubscriptionDestination.resolver(subscriptions));
        }
        StudyPlanner planner = new StudyPlanner(config.routes(), destinations, stores.decisions())
                .withSingleFrameModels(name -> models.get(name).map(m -> m.manifest().classifiesFrames()).orElse(false))
                .withChannels(name -> models.get(name).map(m -> channelRules(m.manifest())).orElse(List.of()));
        processor = new StudyProcessor(index, planner,
                jobRunner(config, storage, clock, fhir, stores),
                outbox, clock, new StudyReports(reports));
        Routes routes = startRoutes(config, clock, restartedAt);
        requeue.set(routes.camel().createProducerTemplate());
        metrics = new ServerMetrics(index, outbox, () -> config.destinations().stream().map(d -> d.name()).toList());
        started.add(metrics);
        if (listener != null) metrics.bindListener(listener);
        http = new HttpServer(config.http(), servlets(config, fhir, stores, resultsDir(config, storage), destinations), accessFilter(config));
        http.start();
        started.add(http);
        metrics.bindJetty(http.jetty());
        startListener(routes, NodeDuties.of(config).intake());
        resumeDelivery(routes);
        boolean intake = NodeDuties.of(config).intake();
        dicomSummary = !intake ? "off (no ingest role)" : config.dicom().aeTitle() + "@" + config.dicom().bindAddress() + ":"
                + (config.dicom().port() < 0 ? "TLS " + listener.tlsPort() : String.valueOf(listener.port()));
        log.info("Tessera started: DICOM {}, HTTP {}, HL7 report intake {}, {} model(s), {} route(s)",
                dicomSummary(), http.baseUrl(),
                !intake ? "off (no ingest role)" : config.hl7().enabled() ? config.hl7().bindAddress() + ":" + config.hl7().port()
                        + (config.hl7().tls().enabled() ? " over TLS" : "") : "off (hl7.enabled: false)",
                models.list().size(), config.routes().size());
    }

    private static FhirResultMapper fhirMapper(io.tessera.config.FhirConfig fc) {
        FhirResultMapper m = new FhirResultMapper(fc.patientIdentifierSystem(), fc.patientIdentifierSystems(),
                ZoneId.systemDefault()).withSite(fc.accessionSystem(), fc.organizationName(), fc.organizationIdentifier())
                .withSystemsByCallingAe(fc.patientIdentifierSystemsByCallingAe());
        return fc.wadoRsUrl() == null ? m : m.withWadoRs(fc.wadoRsUrl());
    }

    /** The index database's login: embedded H2 under {@code storage}, or the configured server. */
    static IndexDatabase indexLogin(TesseraConfig config, Path storage) {
        io.tessera.config.StorageConfig sc = config.storage();
        return sc.embeddedIndex() ? IndexDatabase.embedded(storage, sc.indexPassword())
                : new IndexDatabase(sc.indexUrl(), sc.indexUser(), sc.indexPassword());
    }

    private static Path sharedDir(TesseraConfig config) {
        return Path.of(config.storage().sharedDir()).toAbsolutePath().normalize();
    }

    /**
     * Where SEG, SR and other result files are written: in a cluster the shared folder, so that whichever delivery node
     * claims an outbox entry can read the file a worker wrote; else this node's storage.
     */
    private static Path resultsDir(TesseraConfig config, Path storage) {
        return (config.cluster().distributed() ? sharedDir(config) : storage).resolve("results");
    }

    /** The stores the processing and the HTTP API share, opened on the index's database. */
    private record Stores(OutboxStore outbox, JobRecords jobRecords, SeriesDecisions decisions,
                          io.tessera.routes.GroundedFindings groundedFindings, io.tessera.routes.JobProgress progress) {}

    /** The started routes, the completion poller that feeds them, and the studies found DELIVERING at start. */
    private record Routes(CamelContext camel, CompletionPoller completion, List<String> delivering) {}

    /** Loads the models and refuses a configuration that names a model not loaded, or one of the wrong task. */
    private void loadModels(TesseraConfig config) throws Exception {
        boolean worker = NodeDuties.of(config).worker();
        // a cluster node without the worker role runs no model: it loads none (and checks no route's model)
        models = ModelRegistry.load(worker ? config.models().dirs().stream().map(Path::of).toList() : List.of(),
                InferenceSettings.of(config.inference()));
        started.add(models);
        if (!worker) return;
        List<String> problems = new ArrayList<>(ConfigLoader.referenceProblems(config,
                new HashSet<>(models.list().stream().map(m -> m.name()).toList())));
        problems.addAll(routeTaskProblems(config, name -> models.get(name).map(x -> x.manifest().routeTask()).orElse(null)));
        problems.addAll(groundingModelProblems(config, name -> models.get(name).map(x -> x.manifest().task()).orElse(null),
                models.list().stream().map(m -> m.name()).toList()));
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }

    /**
     * Opens the index and the audit log, and recovers the spool before anything can complete, queue or process a
     * study; hands the studies a stop caught back. Returns the restart time their quiet periods count from.
     */
    private java.time.Instant openIndexAndRecover(TesseraConfig config, Path storage, IndexPool db, Clock clock)
            throws Exception {
        // in a cluster each instance is copied to the shared folder before it is indexed, and read from there
        index = config.cluster().distributed()
                ? new StudyIndex(db, storage, new io.tessera.listener.SharedFolder(sharedDir(config)), Clock.systemUTC())
                : new StudyIndex(db, storage, Clock.systemUTC());
        started.add(index);
        ListenerSettings listenerSettings = listenerSettings(config.dicom(), storage);
        // Owned here, closed last: the listener and the outbox both write to it, the outbox until the routes stop.
        audit = io.tessera.listener.AuditLog.open(listenerSettings.auditFile());
        started.add(0, audit);
        // Recovery before anything can complete, queue or process a study: a study must never be judged complete,
        // or processed, from a subset of what the write-ahead log replay is still restoring.
        listener = new DicomListener(listenerSettings, index, audit);
        started.add(listener);
        listener.recover();
        java.time.Instant restartedAt = clock.instant();
        // in a cluster other nodes may be running those studies: the sweep republishes what no live lease holds
        int handedBack = config.cluster().distributed() ? 0 : index.requeueInterrupted();
        if (handedBack > 0) log.info("{} study(ies) caught by the last stop resume once quiet since the restart", handedBack);
        return restartedAt;
    }

    private Stores openStores(IndexPool db) {
        OutboxStore outboxStore = new OutboxStore(db);
        JobRecords jobRecords = new JobRecords(db);
        started.add(jobRecords);
        SeriesDecisions seriesDecisions = new SeriesDecisions(db);
        started.add(seriesDecisions);
        started.add(outboxStore);
        return new Stores(outboxStore, jobRecords, seriesDecisions, new io.tessera.routes.GroundedFindings(db),
                new io.tessera.routes.JobProgress(Clock.systemUTC()));
    }

    private void openOutbox(TesseraConfig config, Destinations destinations, OutboxStore outboxStore, Clock clock) {
        // a send cut off by a crash left its entry claimed; alone, or under the same node id, that claim is ours
        int released = outboxStore.releaseClaims(config.cluster().distributed() ? config.node().id() : null);
        if (released > 0) log.info("outbox: {} entr{} claimed before the restart sent again", released, released == 1 ? "y" : "ies");
        outbox = Outbox.of(outboxStore, destinations, new Deliverer(config.dicom().aeTitle(),
                io.tessera.routes.ExportAudit.to(() -> audit)), index, config.delivery(), clock).asNode(config.node().id());
        // After the routes stop (reverse order): sends in flight may end (5 s); what is left stays PENDING, persisted.
        started.add(() -> outbox.stop(java.time.Duration.ofSeconds(5)));
    }

    /**
     * Report intake: one store for SR, HL7, FHIR and REST reports. Returns where the study queue's producer is set once
     * the routes run; until then a report re-queues nothing.
     */
    private AtomicReference<ProducerTemplate> openReportIntake(IndexPool db, Clock clock) {
        ReportStore reportStore = new ReportStore(db);
        started.add(reportStore);
        // A report for a study already processed re-runs it: deterministic UIDs and the outbox's one entry per
        // (destination, SOP instance) mean only the new grounding results are sent.
        AtomicReference<ProducerTemplate> requeue = new AtomicReference<>();
        ReportArrivals regrounding = (report, studyUids) -> studyUids.forEach(uid -> index.study(uid)
                .filter(s -> s.state().isFinal() && requeue.get() != null && index.requeueFinished(uid, s.version()))
                .ifPresent(s -> requeue.get().sendBody(studyQueue, uid)));
        reports = new ReportIntake(reportStore, regrounding, clock);
        return requeue;
    }

    /** The job runner, grounding reports with the grounding model if one is configured, else with the rules. */
    private JobRunner jobRunner(TesseraConfig config, Path storage, Clock clock, FhirRepository fhir, Stores stores)
            throws java.io.IOException {
        Lexicon lexicon = Lexicon.builtIn().with(config.grounding().lexicon());
        io.tessera.grounding.SiteGuesser guesser = io.tessera.grounding.SiteGuesser.NONE;
        if (config.grounding().unfamiliarSites()) {
            io.tessera.grounding.EmbeddingSiteGuesser.Lazy lazy = io.tessera.grounding.EmbeddingSiteGuesser.lazy(lexicon);
            started.add(lazy);
            guesser = lazy;
        }
        ReportParser parser = new ReportParser(lexicon, guesser);
        JobRunner.Builder runner = JobRunner.builder(models, new Segmenter(),
                fhirMapper(config.fhir()), fhir,
                outbox, resultsDir(config, storage), clock).geometry(io.tessera.dicomio.GeometryPolicy.of(
                        config.inference().geometry().irregularSpacing(), config.inference().geometry().gantryTilt()))
                .jobRecords(stores.jobRecords()).groundedFindings(stores.groundedFindings())
                .progress(stores.progress());
        if (config.grounding().model().isBlank()) {
            runner.grounding(parser);
        } else {
            runner.groundingModel(parser, models.get(config.grounding().model()).orElseThrow());
        }
        if (!config.grounding().refineWith().isBlank()) {
            runner.refineWith(models.get(config.grounding().refineWith()).orElseThrow());
        }
        return runner.build();
    }

    /**
     * Starts the routes (completion, study processing, outbox, HL7 when enabled), the poller resuming the unfinished
     * studies once quiet since {@code restartedAt}; jobs are stopped before the routes at close.
     */
    private Routes startRoutes(TesseraConfig config, Clock clock, java.time.Instant restartedAt) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        // Jobs are stopped before the routes (stopJobs): what is left in flight is an outbox send, bounded by its timeouts.
        camel.getShutdownStrategy().setTimeout(20);
        camel.addRoutesConfigurations(new ErrorPolicy());
        CompletionPoller completion = CompletionPoller.of(index, config.completion(), config.routes(), clock);
        List<String> delivering = new ArrayList<>();
        List<String> queued = new ArrayList<>();
        for (String uid : index.unfinished()) {
            index.study(uid).ifPresent(st -> (st.state() == io.tessera.core.JobState.DELIVERING ? delivering : queued).add(uid));
        }
        ClusterNode cluster = null;
        if (config.cluster().distributed()) {
            cluster = ClusterNode.of(config, camel, indexPool, index, completion, processor, clock);
            camel.addRoutes(cluster.routes());
            studyQueue = ClusterNode.requeueEndpoint();
        } else {
            completion.resumeFrom(restartedAt, queued);
            camel.addRoutes(new TesseraRoutes(completion, processor,
                    config.inference().maxConcurrentJobs(), 200));
        }
        if (NodeDuties.of(config).delivery()) {
            camel.addRoutes(new OutboxRoute(outbox, Math.min(250, Math.max(20, config.delivery().initialBackoff().toMillis() / 4))));
        }
        io.tessera.config.ConfigNotes.of(config).forEach(n -> log.warn("TSR-0118: {}", n));
        if (config.hl7().enabled() && NodeDuties.of(config).intake()) { // report intake over HL7 v2 / MLLP
            Hl7Config hl7 = config.hl7();
            camel.addRoutes(new Hl7Route(new Hl7ReportHandler(reports, hl7.accessionField(), clock,
                    new Hl7Senders(hl7.allowedSenders(), hl7.allowedApplications())), hl7));
        }
        camel.start();
        if (cluster != null) started.add(cluster); // leaves the node registry once the routes stopped
        started.add(camel::stop);
        started.add(this::stopJobs); // runs before the routes stop (reverse order)
        return new Routes(camel, completion, delivering);
    }

    /** Who may call the HTTP port: token issuer, client certificates, or (loopback or declared insecure) anyone. */
    private AccessFilter accessFilter(TesseraConfig config) throws java.io.IOException {
        io.tessera.config.SecurityConfig security = config.security();
        TokenVerifier tokens = security.oauth().enabled() ? new TokenVerifier(security.oauth()) : null;
        // local console users make the port ask for a login (or a token, or a certificate) even on loopback
        boolean open = !security.authenticates() && !config.console().hasLogin();
        if (open) {
            log.info("TSR-0814: HTTP answers every caller that reaches {} without authentication (no security.oauth.issuer"
                    + " or security.clients configured)", config.http().bindAddress());
        }
        io.tessera.listener.AuditLog trail = audit;
        return new AccessFilter(tokens, new ClientCertificates(security.clients()), open, trail::access, console.gate());
    }

    /** The HTTP API: health, studies, models, outbox, jobs, reports, listener counters, and FHIR when enabled. */
    private Map<String, HttpServlet> servlets(TesseraConfig config, FhirRepository fhir, Stores stores, Path results,
                                              Destinations destinations) {
        Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        servlets.put("/health", new JsonServlet(() -> Map.of("status", accepting ? "UP" : "STARTING"), () -> accepting));
        servlets.put("/api/studies", new JsonServlet(() -> StudyView.of(index.studies(),
                r -> stores.decisions().forStudy(r.studyUid(), r.version())), () -> true));
        FhirResultMapper mapper = fhirMapper(config.fhir());
        servlets.put("/api/studies/*", new PromptServlet(index, models, results, (studyUid, version, series, seg, r) -> {
            List<String> names = promptDestinations(config, stores.jobRecords().forStudy(studyUid).stream()
                    .filter(j -> j.studyVersion() == version).map(io.tessera.routes.JobRecords.JobRecord::route).toList());
            io.tessera.fhir.FhirResultSet set = seg.resultSet(mapper, series, r, Clock.systemUTC().instant(), version).orElse(null);
            if (set != null) set = fhir.store(set).orElse(set); // pushed as served
            return io.tessera.routes.ResultEnqueuer.prompted(outbox, studyUid, version, destinations.named(names), r, set);
        }));
        servlets.put("/api/models", new JsonServlet(() -> ModelView.of(models), () -> true));
        servlets.put("/api/outbox/*", new OutboxServlet(outbox));
        servlets.put("/api/jobs", new JsonServlet(() -> Map.of("jobs", index.studies().stream()
                .flatMap(st -> stores.jobRecords().forStudy(st.studyUid()).stream()).toList()), () -> true));
        servlets.put("/api/reports/*", new ReportServlet(reports));
        servlets.put("/api/cluster", new JsonServlet(() -> io.tessera.routes.cluster.ClusterStatus.read(config.cluster().mode(),
                indexPool, config.cluster().lease(), Clock.systemUTC()), () -> true));
        servlets.put("/api/listener", new JsonServlet(() -> listener == null ? Map.of() : listener.counters(), () -> true));
        servlets.put("/metrics", new MetricsServlet(metrics));
        consoleServlets(config, stores, results, servlets);
        SmartConfigurationServlet smart = new SmartConfigurationServlet(config.security().oauth());
        servlets.put("/.well-known/smart-configuration", smart);
        if (config.fhir().enabled()) {
            servlets.put("/fhir/.well-known/smart-configuration", smart);
            // reads and report intake, each judged by the caller's SMART scopes
            servlets.put("/fhir/*", FhirServer.servlet(fhir, FhirReports.receiver(reports), true));
        }
        return servlets;
    }

    /** The operator console: login, logout, its pages at {@code /console/...}, and {@code /} leading there. */
    private void consoleServlets(TesseraConfig config, Stores stores, Path results, Map<String, HttpServlet> servlets) {
        try {
            io.tessera.listener.AuditLog trail = audit;
            // BALP: a login is a Security Alert / user authentication ("E" execute, subtype login)
            console = io.tessera.app.console.ConsoleLogin.of(config.console(), Clock.systemUTC(), (req, user, method, status) -> {
                if (trail != null) trail.access(new io.tessera.listener.AuditLog.Access(java.time.Instant.now(), "E", "login", req.getMethod(),
                            req.getRequestURI(), null, status, user == null ? "?" : user, null, method, req.getRemoteAddr()));
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("TSR-0833: console.usersFile cannot be read: " + e.getMessage(), e);
        }
        servlets.put("/login", console.loginServlet());
        servlets.put("/logout", console.logoutServlet());
        var oidcLogin = console.oidcServlet();
        if (oidcLogin != null) servlets.put("/login/oidc/*", oidcLogin);
        servlets.put("/console/*", new io.tessera.app.console.ConsoleServlet(new io.tessera.app.console.ConsoleSources(index,
                stores.jobRecords(), outbox, () -> ModelView.of(models), () -> listener == null ? Map.of() : listener.counters(),
                results, config.fhir().enabled(), audit == null ? null : audit.file(), stores.groundedFindings(),
                stores.progress())));
        servlets.put("", io.tessera.app.console.ConsoleServlet.root());
    }

    /**
     * The DICOM listener last, so nothing is accepted before it can be processed; at close its stop runs first. A
     * cluster node without the ingest role opens no DICOM port (its spool was still recovered: a node whose roles
     * changed indexes what it had received).
     */
    private void startListener(Routes routes, boolean intake) throws Exception {
        ProducerTemplate releaseQueue = routes.camel().createProducerTemplate();
        listener.onAssociationReleased((callingAe, studies) -> routes.completion().released(callingAe, studies)
                .forEach(uid -> releaseQueue.sendBody(studyQueue, uid)));
        if (intake) listener.start();
        started.add(this::stopIntake); // first to run at close: nothing new comes in while the rest stops
        accepting = true;
    }

    /** Studies found DELIVERING go back to the queue, where the outbox settles them. */
    private void resumeDelivery(Routes routes) {
        ProducerTemplate producer = routes.camel().createProducerTemplate();
        for (String uid : routes.delivering()) {
            log.info("resuming delivery of study {}", uid);
            if (studyQueue.startsWith(TesseraRoutes.STUDY_QUEUE)) producer.sendBody(studyQueue, uid);
            else index.study(uid).ifPresent(st -> outbox.settle(uid, st.version())); // a cluster: no worker settles it
        }
    }

    /**
     * grounding.model must name a loaded {@code task: grounding} model and grounding.refineWith a loaded
     * {@code task: promptable-segmentation} one: any other would fail every grounding job, so start and
     * {@code config check} refuse it, naming the key.
     */
    static List<String> groundingModelProblems(TesseraConfig config, java.util.function.Function<String, String> taskOf,
                                               java.util.Collection<String> loaded) {
        List<String> problems = new ArrayList<>();
        String model = config.grounding().model();
        if (!model.isBlank() && !"grounding".equals(taskOf.apply(model))) {
            problems.add("grounding.model: '" + model + "' is not a loaded task: grounding model (loaded: " + loaded + ")");
        }
        String refine = config.grounding().refineWith();
        if (!refine.isBlank()) {
            String task = taskOf.apply(refine);
            if (task == null) {
                problems.add("grounding.refineWith: '" + refine + "' is not a loaded model (loaded: " + loaded + ")");
            } else if (!io.tessera.inference.ModelManifest.PROMPTABLE.equals(task)) {
                problems.add("grounding.refineWith: model '" + refine + "' is a " + task + " model; it must be a "
                        + io.tessera.inference.ModelManifest.PROMPTABLE + " model (a box prompt per slice redraws each finding)");
            }
        }
        return problems;
    }

    /**
     * Where a prompted SEG goes: the DICOM and folder destinations of the routes that processed the study version
     * (a FHIR server takes no SEG), each once, in configuration order.
     */
    /** A multi-series model's channels as the planner matches them; empty for every other model. */
    static List<StudyPlanner.ChannelRule> channelRules(io.tessera.inference.ModelManifest m) {
        if (m.input() == null) return List.of();
        return m.input().channels().stream().map(c -> new StudyPlanner.ChannelRule(c.name(), c.seriesDescription())).toList();
    }

    /** The destinations of the named routes, each once, in route order. */
    static List<String> promptDestinations(TesseraConfig config, java.util.Collection<String> routeNames) {
        return config.routes().stream().filter(r -> routeNames.contains(r.name())).flatMap(r -> r.destinations().stream())
                .distinct().toList();
    }

    /** A route's models segment series; a grounding model takes a report phrase and would fail every job. */
    static List<String> routeTaskProblems(TesseraConfig config, java.util.function.Function<String, String> taskOf) {
        List<String> problems = new ArrayList<>();
        for (int r = 0; r < config.routes().size(); r++) {
            List<String> named = config.routes().get(r).models();
            java.util.Set<String> kinds = new java.util.TreeSet<>();
            for (int m = 0; m < named.size(); m++) {
                String task = taskOf.apply(named.get(m));
                if (task != null && !"segmentation".equals(task) && !io.tessera.inference.ModelManifest.CLASSIFICATION.equals(task)) {
                    problems.add("routes[" + r + "].models[" + m + "]: model '" + named.get(m) + "' is a " + task
                            + " model; routes name segmentation or classification models");
                } else if (task != null) {
                    kinds.add(task);
                }
            }
            // a classifier takes single-frame images, a segmentation model volumes: one rule cannot pick series for both
            if (kinds.size() > 1) {
                problems.add("routes[" + r + "].models: mixes segmentation and classification models; give each its own route");
            }
        }
        return problems;
    }

    private static ListenerSettings listenerSettings(io.tessera.config.DicomConfig d, Path storage) {
        io.tessera.config.TlsConfig t = d.tls();
        io.tessera.listener.TlsSettings tls = !t.enabled() ? null : new io.tessera.listener.TlsSettings(t.port(),
                Path.of(t.keyStore()), t.keyStorePassword(), t.trustStore() == null || t.trustStore().isBlank() ? null
                : Path.of(t.trustStore()), t.trustStorePassword(), t.requireClientCert(), t.protocols());
        String audit = d.audit().file();
        return new ListenerSettings(d.aeTitle(), d.bindAddress(), d.port(), new HashSet<>(d.allowedCallingAeTitles()), storage,
                d.maxPduLength(), tls, d.limits().maxAssociations(), d.limits().maxStudyBytes(),
                audit == null || audit.isBlank() ? null : Path.of(audit), d.limits().maxInstanceBytes(), acceptedContexts(d),
                d.limits().maxConnectionsPerSource(), d.limits().associateTimeout());
    }

    /** The configured SOP classes and transfer syntaxes as UIDs (the loader has already refused bad entries). */
    static io.tessera.listener.AcceptedContexts acceptedContexts(io.tessera.config.DicomConfig d) {
        try {
            io.tessera.config.DicomUids.Resolved r = io.tessera.config.DicomUids.resolve(d);
            return new io.tessera.listener.AcceptedContexts(r.allStorage(), new HashSet<>(r.sopClassUids()), r.transferSyntaxUids());
        } catch (io.tessera.config.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Where DICOM is received, for people: {@code AE@host:port}, the TLS port, or off on a node without the ingest role. */
    public String dicomSummary() {
        return dicomSummary;
    }

    public int dicomPort() {
        return listener.port();
    }

    public String httpBaseUrl() {
        return http.baseUrl();
    }

    public StudyIndex index() {
        return index;
    }

    /**
     * Waits (polling the index every 100 ms) until the study satisfies {@code done}; for the demo and tests, which
     * watch a study go through the server from outside.
     *
     * @throws IllegalStateException with the last known record when {@code timeout} passes first
     */
    public io.tessera.listener.StudyRecord awaitStudy(String studyUid, java.util.function.Predicate<io.tessera.listener.StudyRecord> done,
                                                      java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        io.tessera.listener.StudyRecord last = null;
        while (System.nanoTime() < deadline) {
            last = index.study(studyUid).orElse(null);
            if (last != null && done.test(last)) return last;
            Thread.sleep(100);
        }
        throw new IllegalStateException("TSR-0900: study not processed within " + timeout + " (last known: "
                + (last == null ? "not indexed" : last.state() + " v" + last.version()) + ")");
    }

    /** {@link #awaitStudy} until the study reaches a final state (DONE, FAILED or PARKED). */
    public io.tessera.listener.StudyRecord awaitFinal(String studyUid, java.time.Duration timeout) throws InterruptedException {
        return awaitStudy(studyUid, r -> r.state().isFinal(), timeout);
    }

    /** The report intake (its {@link ReportIntake#store() store} answers which reports a study has). */
    public ReportIntake reports() {
        return reports;
    }

    public Outbox outbox() {
        return outbox;
    }

    /** DICOM and HTTP stop taking work (the listener lets its associations finish, then checkpoints the spool). */
    private void stopIntake() throws Exception {
        accepting = false;
        listener.stop(INTAKE_GRACE);
        if (http != null) http.close();
    }

    /**
     * No study starts any more; running jobs get {@code inference.stopGrace} to finish, then are terminated and their studies
     * handed back. Returns once none runs (or after a bounded wait), so the sessions can be closed safely.
     */
    private void stopJobs() throws InterruptedException {
        processor.stop();
        long deadline = System.nanoTime() + stopGrace.toNanos();
        while (processor.running() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
        if (processor.running() > 0) {
            log.info("stopping: {} study(ies) still running after {}; terminating their jobs (handed back for the next start)",
                    processor.running(), stopGrace);
            models.stopJobs();
            long hard = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
            while (processor.running() > 0 && System.nanoTime() < hard) Thread.sleep(20);
        }
        models.stopJobs(); // no new job may start on a session about to close
    }

    @Override
    public synchronized void close() {
        accepting = false;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("error while stopping {}: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
    }
}
