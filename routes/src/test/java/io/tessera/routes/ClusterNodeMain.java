package io.tessera.routes;

import io.tessera.config.ClusterConfig;
import io.tessera.config.DeliveryConfig;
import io.tessera.config.DestinationConfig;
import io.tessera.config.MatchConfig;
import io.tessera.config.NodeConfig;
import io.tessera.config.RouteConfig;
import io.tessera.listener.IndexDatabase;
import io.tessera.listener.IndexPool;
import io.tessera.listener.StudyIndex;
import io.tessera.routes.cluster.Broker;
import io.tessera.routes.cluster.ClusterRoutes;
import io.tessera.routes.cluster.MessagePriority;
import io.tessera.routes.cluster.NodeRegistry;
import io.tessera.routes.cluster.Publications;
import io.tessera.routes.cluster.Reconciler;
import io.tessera.routes.cluster.StudyLeases;
import io.tessera.routes.cluster.StudyQueue;
import io.tessera.routes.cluster.StudyWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A Tessera node for the cluster tests, in a process of its own ({@code JavaProcess}):
 * {@code ClusterNodeMain <jdbcUrl> <brokerUrl> <nodeId> <roles> <folder>}. It runs the real cluster wiring
 * ({@link ClusterRoutes}, {@link StudyWorker}, leases, sweep) with the real study processor and outbox store; only
 * the job itself is a stand-in ({@link #job}) that queues one result per destination, and that holds while
 * {@code <folder>/hold} exists, so a test can kill the node in the middle of a job.
 */
public final class ClusterNodeMain {
    static final String READY = "CLUSTER NODE READY";
    static final String HOLDING = "HOLDING JOB";
    static final List<DestinationConfig> DESTINATIONS = List.of(
            new DestinationConfig("pacs", "dicom", "PACS", "127.0.0.1", 104, null, null, null),
            new DestinationConfig("archive", "folder", null, null, 0, "results", null, null));
    static final List<RouteConfig> ROUTES = List.of(new RouteConfig("ct", new MatchConfig("CT", null, null, null, null),
            List.of(), List.of("pacs", "archive")));

    /** Short timings so that a lapsed lease is found within seconds. */
    static ClusterConfig cluster(String brokerUrl) {
        return new ClusterConfig("distributed", brokerUrl, "", "", "tessera.studies", Duration.ofSeconds(3),
                Duration.ofMillis(500), Duration.ofMillis(500), 3);
    }

    public static void main(String[] args) throws Exception {
        String jdbcUrl = args[0];
        NodeConfig node = new NodeConfig(args[2], List.of(args[3].split(",")));
        Path folder = Path.of(args[4]);
        ClusterConfig cluster = cluster(args[1]);
        Clock clock = Clock.systemUTC();
        IndexPool db = IndexPool.open(IndexDatabase.of(jdbcUrl));
        StudyIndex index = new StudyIndex(db, folder, clock);
        OutboxStore store = new OutboxStore(db);
        JobRecords jobs = new JobRecords(db);
        Outbox outbox = new Outbox(store, DESTINATIONS, (d, e) -> {
            throw new Deliverer.DeliveryException("this node does not deliver");
        }, d -> { }, new IndexStudies(index), DeliveryConfig.defaults(), clock, Math::random);
        StudyProcessor processor = new StudyProcessor(index, new StudyPlanner(ROUTES, DESTINATIONS),
                (job, stages, report) -> job(job, outbox, jobs, folder, node.id()), outbox, clock,
                io.tessera.routes.reports.StudyReports.none());
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutesConfigurations(new ErrorPolicy());
        Broker.register(camel, cluster);
        Publications publications = new Publications(db, cluster.lease(), clock);
        StudyQueue queue = new StudyQueue(index, publications, new MessagePriority(ROUTES), camel.createProducerTemplate(),
                Broker.producer(cluster));
        StudyWorker worker = new StudyWorker(index, new StudyLeases(db, node.id(), cluster.lease(), clock),
                new StudyWorker.Processor() {
                    @Override public void process(String studyUid) { processor.process(studyUid); }
                    @Override public boolean stopping() { return false; }
                }, queue, v -> camel.createProducerTemplate().sendBody(Broker.deadLetters(cluster), v.body()),
                cluster.maxTakeovers(), cluster.heartbeat());
        Reconciler reconciler = new Reconciler(publications, queue, new NodeRegistry(db, cluster.lease(), clock), node.id(),
                node.roles());
        camel.addRoutes(new ClusterRoutes(cluster, node, new CompletionPoller(index, Duration.ofMillis(500), clock), queue,
                worker, reconciler, 1, 200));
        camel.start();
        Runtime.getRuntime().addShutdownHook(new Thread(camel::stop));
        System.out.println(READY + " " + node.id());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The stand-in job: holds while the hold file exists, then queues a copy of the series' first instance for each destination. */
    static void job(Job job, Outbox outbox, JobRecords jobs, Path folder, String node) throws Exception {
        if (Files.exists(folder.resolve("hold"))) {
            System.out.println(HOLDING + " " + node);
            System.out.flush();
            while (Files.exists(folder.resolve("hold"))) Thread.sleep(50);
        }
        String study = job.series().studyInstanceUid();
        System.out.println("JOB RUN " + study + " v" + job.studyVersion());
        System.out.flush();
        String sop = job.series().seriesInstanceUid() + ".99";
        // the result: a copy of the series' first instance under the result's name (a real DICOM object a PACS takes;
        // written again, byte for byte, by a worker that takes the job over)
        Path result = folder.resolve(sop + ".dcm");
        Files.copy(job.series().files().get(0), result, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (Destination d : job.destinations()) {
            outbox.enqueue(study, job.studyVersion(), d.name(), sop, result);
        }
        jobs.record(new JobRecords.JobRecord(study, job.studyVersion(), job.series().seriesInstanceUid(), job.route(),
                "forward", node, null, "CPU", "DONE", sop, null, null, java.time.Instant.now()));
    }
}
