package io.tessera.app;

import io.tessera.config.ConfigException;
import io.tessera.config.TesseraConfig;
import io.tessera.listener.IndexPool;
import io.tessera.routes.cluster.ClusterStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code tessera cluster status [--json] [--config FILE] [--key=value ...]}: the cluster as its index database holds
 * it — nodes, roles and heartbeats, studies waiting for a worker, study leases, outbox claims, open circuits — read
 * with the configuration's index login, so it answers from any machine that reaches the database, whether or not a
 * node runs there. {@code --json} prints what {@code GET /api/cluster} answers.
 */
@Command(name = "cluster", description = "A cluster of nodes (cluster.mode: distributed).", subcommands = ClusterCommand.Status.class)
final class ClusterCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: status");
    }

    @Command(name = "status", description = "Nodes, roles, heartbeats, queue depth, leases, outbox claims and open circuits.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--json", description = "Print JSON, as GET /api/cluster answers.")
        boolean json;

        @Mixin Main.ConfigOptions options;
        @Unmatched List<String> overrides = new ArrayList<>(); // the --key=value overrides, see ConfigOptions

        @Override
        public Integer call() throws Exception {
            TesseraConfig config;
            try {
                config = options.load(overrides);
            } catch (ConfigException e) {
                Main.printViolations(e);
                return 1;
            }
            ClusterStatus status;
            try (IndexPool db = IndexPool.open(TesseraServer.indexLogin(config,
                    Path.of(config.storage().dir()).toAbsolutePath()))) {
                status = ClusterStatus.read(config.cluster().mode(), db, config.cluster().lease(), Clock.systemUTC());
            } catch (RuntimeException e) {
                System.err.println("TSR-1035: cannot read the cluster status from the index database: " + e.getMessage());
                return 1;
            }
            if (json) {
                JsonServlet.JSON.writeValue(new NoClose(System.out), status);
                System.out.println();
            } else {
                print(status, System.out);
            }
            return 0;
        }
    }

    /** The status as a few aligned lines for a terminal. */
    static void print(ClusterStatus s, PrintStream out) {
        out.printf("Cluster (%s) at %s: %d node(s) live of %d registered; %d study version(s) waiting for a worker%n",
                s.mode(), s.at(), s.liveNodes(), s.nodes().size(), s.queued());
        if (!s.nodes().isEmpty()) {
            out.printf("%-24s %-24s %-8s %-30s %s%n", "NODE", "ROLES", "STATE", "LAST HEARTBEAT", "STARTED");
            s.nodes().forEach(n -> out.printf("%-24s %-24s %-8s %-30s %s%n", n.id(), String.join(",", n.roles()),
                    n.live() ? "live" : "gone", n.lastHeartbeat(), n.started()));
        }
        out.printf("Study leases: %d%n", s.leases().size());
        s.leases().forEach(l -> out.printf("  %s v%d  %s by %s until %s (takeovers %d)%n", l.studyUid(), l.version(),
                l.live() ? "held" : "LAPSED", l.node(), l.until(), l.takeovers()));
        out.printf("Outbox entries being sent: %d%n", s.outboxClaims().size());
        s.outboxClaims().forEach(c -> out.printf("  entry %d to '%s' by %s until %s%n", c.id(), c.destination(), c.node(),
                c.until()));
        out.printf("Open circuits: %d%n", s.openCircuits().size());
        s.openCircuits().forEach(b -> out.printf("  '%s' open since %s after %d failure(s); next probe %s%n", b.destination(),
                b.openedAt(), b.failures(), b.probeAt()));
    }

    /** Jackson closes the stream it wrote to; standard output must stay open. */
    private static final class NoClose extends java.io.FilterOutputStream {
        NoClose(PrintStream out) {
            super(out);
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
