package io.tessera.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for integration tests: a private cluster made by {@code initdb} in a temporary folder,
 * {@code postgres} on a free loopback port (no Unix socket outside that folder, no fsync: test data only), one database
 * {@value #DATABASE} owned by the superuser {@value #USER} with trust authentication, stopped by its PID (fast shutdown)
 * and deleted at {@link #close()}.
 *
 * <p>The binaries ({@code initdb}, {@code postgres}, {@code createdb}, side by side) are looked up on PATH (following
 * links to their real folder), then under {@code /usr/lib/postgresql/<version>/bin} (Debian's package
 * {@code postgresql}, which scripts/bootstrap.sh installs), newest version first. PostgreSQL refuses to run as root:
 * as root, the cluster belongs to, and the server runs as, the unprivileged {@code postgres} user (made by the Debian
 * package), else {@code nobody}, through {@code runuser}. Takes about two seconds; {@link #shared()} starts one per JVM.
 */
public final class PostgresPeer implements AutoCloseable {
    public static final String USER = "tessera";
    public static final String DATABASE = "tessera";
    private static PostgresPeer shared;

    private final Path dir;
    private final int port;
    private volatile long pid;
    private volatile Process launcher;
    private int schemas;

    private PostgresPeer(Path dir, int port, long pid, Process launcher) {
        this.dir = dir;
        this.port = port;
        this.pid = pid;
        this.launcher = launcher;
    }

    /** One server for the whole test JVM, started on first use and stopped when the JVM exits. */
    public static synchronized PostgresPeer shared() throws IOException, InterruptedException {
        if (shared == null) {
            PostgresPeer peer = start();
            Runtime.getRuntime().addShutdownHook(new Thread(peer::close, "postgres-peer-stop"));
            shared = peer;
        }
        return shared;
    }

    /** Makes a cluster in a new temporary folder, starts it and creates the database; fails with the reason if it cannot. */
    public static PostgresPeer start() throws IOException, InterruptedException {
        Path bin = binDir().orElseThrow(() -> new IOException("PostgreSQL's initdb and postgres are neither on PATH nor under "
                + "/usr/lib/postgresql/*/bin: install Debian's package postgresql (scripts/bootstrap.sh does)"));
        List<String> asUser = new ArrayList<>();
        Path dir = Files.createTempDirectory("tessera-pg-");
        if (isRoot()) {
            String user = userExists("postgres") ? "postgres" : "nobody";
            asUser.addAll(List.of("runuser", "-u", user, "--"));
            UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
            Files.setOwner(dir, owner);
        }
        Path data = dir.resolve("data");
        Path log = dir.resolve("postgres.log");
        List<String> initdb = new ArrayList<>(asUser);
        initdb.addAll(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust",
                "-E", "UTF8", "--no-locale", "--no-sync"));
        ExternalTool.Result made = ExternalTool.run(initdb, Map.of(), 120);
        if (made.exitCode() != 0) {
            deleteQuietly(dir);
            throw new IOException("initdb failed (exit " + made.exitCode() + "): " + made.output());
        }
        int port = FreePorts.next();
        Process launcher = launch(bin, asUser, dir, port);
        long pid = awaitReady(launcher, data, log);
        PostgresPeer peer = new PostgresPeer(dir, port, pid, launcher);
        ExternalTool.Result db = ExternalTool.run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", USER, DATABASE), Map.of(), 60);
        if (db.exitCode() != 0) {
            peer.close();
            throw new IOException("createdb failed (exit " + db.exitCode() + "): " + db.output());
        }
        return peer;
    }

    private static Process launch(Path bin, List<String> asUser, Path dir, int port) throws IOException {
        List<String> postgres = new ArrayList<>(asUser);
        postgres.addAll(List.of(bin.resolve("postgres").toString(), "-D", dir.resolve("data").toString(), "-p",
                Integer.toString(port), "-h", "127.0.0.1", "-k", dir.toString(), "-F", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=60"));
        return new ProcessBuilder(postgres).redirectErrorStream(true).redirectOutput(dir.resolve("postgres.log").toFile()
                .getAbsoluteFile()).start();
    }

    /**
     * Stops the server (fast shutdown, by its PID) and keeps its data, for a test of what clients do while the
     * database is away; {@link #startAgain()} brings it back on the same port.
     */
    public synchronized void stopServer() throws InterruptedException, IOException {
        shutDown();
    }

    /** Starts the server stopped by {@link #stopServer()} again, on the same port and data; returns once it is ready. */
    public synchronized void startAgain() throws IOException, InterruptedException {
        Path bin = binDir().orElseThrow(() -> new IOException("PostgreSQL's postgres is no longer found"));
        List<String> asUser = new ArrayList<>();
        if (isRoot()) asUser.addAll(List.of("runuser", "-u", userExists("postgres") ? "postgres" : "nobody", "--"));
        // the log is appended to: redirectOutput truncates, so keep the first run's lines under another name
        Path log = dir.resolve("postgres.log");
        if (Files.exists(log)) Files.move(log, dir.resolve("postgres-" + pid + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        launcher = launch(bin, asUser, dir, port);
        pid = awaitReady(launcher, dir.resolve("data"), log);
    }

    /** The folder holding {@code initdb} and {@code postgres}: PATH first, then Debian's versioned folders, newest first. */
    public static Optional<Path> binDir() {
        List<Path> candidates = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty()) candidates.add(Path.of(d));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted(Comparator.comparing(PostgresPeer::majorVersion).reversed())
                        .forEach(v -> candidates.add(v.resolve("bin")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // a link on PATH (e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb) stands for its real folder
        return candidates.stream().filter(d -> Files.isExecutable(d.resolve("initdb"))).map(PostgresPeer::realFolder)
                .filter(d -> Files.isExecutable(d.resolve("postgres")) && Files.isExecutable(d.resolve("createdb"))).findFirst();
    }

    private static Path realFolder(Path binDir) {
        try {
            return binDir.resolve("initdb").toRealPath().getParent();
        } catch (IOException e) {
            return binDir;
        }
    }

    /** JDBC URL of the database {@value #DATABASE}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** JDBC URL of the database {@value #DATABASE} with {@code schema} as the current schema (tests keep apart by schema). */
    public String jdbcUrl(String schema) {
        return jdbcUrl() + "?currentSchema=" + schema;
    }

    /**
     * A new, empty schema owned by the login role {@code owner} (made if missing, password-less: the cluster trusts
     * loopback), and the JDBC URL that works in it: each test gets its own tables in the one shared server. Uses the
     * PostgreSQL JDBC driver found on the class path at run time.
     */
    public synchronized String newSchemaUrl(String owner) {
        String schema = "t" + (++schemas);
        try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, ""); Statement s = c.createStatement()) {
            if (!owner.equals(USER)) {
                try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + owner.replace("'", "''") + "'")) {
                    if (!rs.next()) s.execute("CREATE ROLE \"" + owner.replace("\"", "") + "\" LOGIN");
                }
            }
            s.execute("CREATE SCHEMA " + schema + " AUTHORIZATION \"" + owner.replace("\"", "") + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make schema " + schema + " on the PostgreSQL peer: " + e.getMessage(), e);
        }
        return jdbcUrl(schema);
    }

    /** {@link #newSchemaUrl(String)} on the {@link #shared()} server; fails the test with the reason if it cannot start. */
    public static String sharedSchemaUrl(String owner) {
        try {
            return shared().newSchemaUrl(owner);
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL peer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the PostgreSQL peer", e);
        }
    }

    public String user() {
        return USER;
    }

    public int port() {
        return port;
    }

    /** The server's PID (the postmaster's, from postmaster.pid). */
    public long pid() {
        return pid;
    }

    /** Fast shutdown (SIGINT) of the server by its PID, then the cluster folder is deleted. */
    @Override
    public void close() {
        try {
            shutDown();
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(dir);
    }

    private void shutDown() throws IOException, InterruptedException {
        Optional<ProcessHandle> server = ProcessHandle.of(pid);
        if (server.isPresent()) {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
            try {
                server.get().onExit().get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                server.get().destroyForcibly();
            }
        }
        launcher.waitFor(10, TimeUnit.SECONDS);
    }

    private static long awaitReady(Process launcher, Path data, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Path pidFile = data.resolve("postmaster.pid");
        while (System.nanoTime() < deadline) {
            if (!launcher.isAlive()) {
                throw new IOException("postgres exited at start: " + tail(log));
            }
            // postmaster.pid's 8th line is the status: "ready" once connections are accepted
            if (Files.exists(pidFile)) {
                List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
                if (lines.size() >= 8 && lines.get(7).trim().equals("ready")) {
                    return Long.parseLong(lines.get(0).trim());
                }
            }
            Thread.sleep(50);
        }
        launcher.destroyForcibly();
        throw new IOException("postgres not ready within 30 s: " + tail(log));
    }

    private static String tail(Path log) throws IOException {
        String s = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    }

    private static int majorVersion(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        return ExternalTool.run(List.of("id", "-u"), Map.of(), 10).output().trim().equals("0");
    }

    private static boolean userExists(String user) throws IOException, InterruptedException {
        return ExternalTool.run(List.of("id", "-u", user), Map.of(), 10).exitCode() == 0;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: left for the system to clean
        }
    }
}
