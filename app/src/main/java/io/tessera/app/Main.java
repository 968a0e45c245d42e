package io.tessera.app;

import io.tessera.config.ConfigException;
import io.tessera.config.ConfigLoader;
import io.tessera.config.TesseraConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * The {@code tessera} command line: {@code serve}, {@code config check}, {@code models list|check}, {@code routes test},
 * {@code replay} (the {@code demo} module adds {@code demo}). Exit codes: 0 success, 1 invalid configuration or a
 * failure, 2 a usage error (unknown command or option, missing argument).
 */
@Command(name = "tessera", description = "Tessera: DICOM C-STORE in, AI segmentation, DICOM SEG and FHIR R4 out.",
        subcommands = {Main.Serve.class, Main.Config.class, ModelsCommand.class, RoutesCommand.class, ReplayCommand.class, ClusterCommand.class,
                HashPasswordCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:invalid configuration, or the command failed", "2:usage error"})
public final class Main implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    boolean help;

    @Spec CommandSpec spec;

    public static void main(String[] args) throws Exception {
        launch(args, cl -> {});
    }

    /**
     * Runs the command line on a thread of its own and exits with its code. {@code extend} may add subcommands (the
     * demo module adds {@code demo}).
     */
    public static void launch(String[] args, Consumer<CommandLine> extend) throws Exception {
        LogFormat.choose(System.getenv("TESSERA_LOG_FORMAT"));
        // ONNX Runtime's native initialisation has overflowed the launcher's default 1 MB main-thread stack
        // (SIGSEGV, exit 139, no message) when started from some class paths; a roomy thread removes the risk.
        int[] code = {1};
        Throwable[] failure = {null};
        Thread worker = new Thread(null, () -> {
            try {
                code[0] = run(args, extend);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "main", 16L << 20);
        worker.start();
        worker.join();
        if (failure[0] != null) {
            failure[0].printStackTrace();
            System.exit(1);
        }
        System.exit(code[0]);
    }

    static int run(String[] args) {
        return run(args, cl -> {});
    }

    static int run(String[] args, Consumer<CommandLine> extend) {
        CommandLine cl = commandLine();
        extend.accept(cl);
        return cl.execute(args);
    }

    /** The {@code tessera} command and its subcommands. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command");
    }

    /**
     * {@code --config FILE}, and any number of {@code --key=value} overrides of configuration keys, which each command
     * collects as its unmatched arguments (picocli reads {@code @Unmatched} on the command only, not in a mixin). The
     * environment's {@code TESSERA_*} variables are read by {@link ConfigLoader}; the command line wins over them.
     */
    @Command(footer = {"%nAny configuration key can be overridden: --key=value (e.g. --dicom.port=11113), or TESSERA_KEY "
            + "in the environment (TESSERA_DICOM_PORT=11113). Precedence: command line > environment > file > defaults."})
    public static final class ConfigOptions {
        @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration file (none: the defaults).")
        Path file;

        @Spec(Spec.Target.MIXEE) CommandSpec mixee;

        /** The configuration: file, then environment, then {@code --key=value}; a malformed argument is a usage error. */
        public TesseraConfig load(List<String> overrides, Function<TesseraConfig, Set<String>> knownModels) throws ConfigException {
            for (String o : overrides) {
                if (!o.startsWith("--") || !o.contains("=")) {
                    throw new ParameterException(mixee.commandLine(), "Unknown argument: '" + o
                            + "' (configuration keys are given as --key=value, e.g. --dicom.port=11113)");
                }
            }
            return Main.load(file, overrides, knownModels);
        }

        public TesseraConfig load(List<String> overrides) throws ConfigException {
            return load(overrides, c -> null);
        }
    }

    @Command(name = "serve", description = "Run the server until SIGTERM, SIGINT or SIGHUP.")
    static final class Serve implements Callable<Integer> {
        @Mixin ConfigOptions options;
        @Unmatched List<String> overrides = new ArrayList<>(); // the --key=value overrides, see ConfigOptions

        @Override
        public Integer call() throws Exception {
            TesseraConfig config;
            try {
                config = options.load(overrides);
            } catch (ConfigException e) {
                printViolations(e);
                return 1;
            }
            TesseraServer server;
            try {
                server = TesseraServer.start(config);
            } catch (ConfigException e) {
                printViolations(e);
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runnable stop = () -> {
                server.close();
                stopped.countDown();
            };
            // SIGTERM, SIGINT and SIGHUP run Tessera's own shutdown order and only then exit. Left to the JVM, they would
            // run every shutdown hook at once, and ONNX Runtime's hook closes its environment under a running session
            // (SIGSEGV). The hook stays for any other exit; closing twice is a no-op.
            StopSignals.install(() -> new Thread(stop, "tessera-stop").start());
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "tessera-shutdown"));
            System.out.println("Tessera is running: DICOM " + server.dicomSummary() + ", HTTP " + server.httpBaseUrl() + " (FHIR at " + server.httpBaseUrl() + "/fhir)");
            stopped.await();
            return 0;
        }
    }

    @Command(name = "config", description = "Configuration tools.", subcommands = Config.Check.class)
    static final class Config implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "Missing subcommand: check");
        }

        @Command(name = "check", description = "Validate a configuration without starting; lists every violation with its path.")
        static final class Check implements Callable<Integer> {
            @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The configuration file (or --config FILE).")
            Path positional;

            @Mixin ConfigOptions options;
            @Unmatched List<String> overrides = new ArrayList<>(); // the --key=value overrides, see ConfigOptions

            @Spec CommandSpec spec;

            @Override
            public Integer call() {
                if (positional != null && options.file != null) {
                    throw new ParameterException(spec.commandLine(), "Give the file once: FILE or --config FILE");
                }
                if (positional != null) options.file = positional;
                if (options.file == null && overrides.isEmpty()) {
                    throw new ParameterException(spec.commandLine(), "Missing configuration: FILE");
                }
                try {
                    java.util.Map<String, String> tasks = new java.util.TreeMap<>();
                    boolean[] modelsRead = {false};
                    TesseraConfig config = options.load(overrides, c -> {
                        tasks.putAll(ModelsCommand.modelTasks(c));
                        modelsRead[0] = true;
                        return tasks.keySet();
                    });
                    // as at start: a model of the wrong task under a grounding key would fail every grounding job
                    if (modelsRead[0]) {
                        List<String> wrongTask = TesseraServer.groundingModelProblems(config, tasks::get, tasks.keySet());
                        if (!wrongTask.isEmpty()) throw new ConfigException(wrongTask);
                    }
                    System.out.println("configuration is valid: " + config.routes().size() + " route(s), "
                            + config.destinations().size() + " destination(s), HL7 report intake "
                            + (config.hl7().enabled() ? "on " + config.hl7().bindAddress() + ":" + config.hl7().port() : "off"));
                    io.tessera.config.ConfigNotes.of(config).forEach(n -> System.out.println("note: " + n));
                    return 0;
                } catch (ConfigException e) {
                    printViolations(e);
                    return 1;
                }
            }
        }
    }

    static TesseraConfig load(Path file, List<String> overrides, Function<TesseraConfig, Set<String>> knownModels)
            throws ConfigException {
        if (file != null && !Files.isRegularFile(file)) throw new ConfigException(List.of(file + ": no such file"));
        return new ConfigLoader().load(file, System.getenv(), overrides, knownModels);
    }

    static void printViolations(ConfigException e) {
        System.err.println("configuration is invalid:");
        e.violations().forEach(v -> System.err.println("  " + v));
    }
}
