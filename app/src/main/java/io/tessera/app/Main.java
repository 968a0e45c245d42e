package io.tessera.app;

import io.tessera.config.ConfigException;
import io.tessera.config.ConfigLoader;
import io.tessera.config.TesseraConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Command line: {@code serve}, {@code config check}, {@code models list|check}, {@code demo}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        // ONNX Runtime's native initialisation has overflowed the launcher's default 1 MB main-thread stack
        // (SIGSEGV, exit 139, no message) when started from some class paths; a roomy thread removes the risk.
        int[] code = {1};
        Throwable[] failure = {null};
        Thread worker = new Thread(null, () -> {
            try {
                code[0] = run(args);
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

    static int run(String[] args) throws Exception {
        if (args.length == 0) return usage();
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        return switch (args[0]) {
            case "serve" -> serve(rest);
            case "config" -> rest.size() >= 2 && rest.get(0).equals("check") ? configCheck(rest.subList(1, rest.size())) : usage();
            case "models" -> ModelsCommand.run(rest);
            case "routes" -> RoutesCommand.run(rest);
            case "demo" -> new Demo(rest).run();
            case "replay" -> ReplayCommand.run(rest);
            default -> usage();
        };
    }

    private static int usage() {
        System.err.println("usage: tessera serve [--config FILE] [--key=value ...] | config check FILE | models list|check DIR | routes test --config FILE DICOM_DIR | replay ID|--destination NAME [--url URL] | demo");
        return 2;
    }

    private static int serve(List<String> args) throws Exception {
        TesseraConfig config;
        try {
            config = load(args);
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
        System.out.println("Tessera is running: DICOM " + config.dicom().aeTitle() + "@" + config.dicom().bindAddress() + ":"
                + server.dicomPort() + ", HTTP " + server.httpBaseUrl() + " (FHIR at " + server.httpBaseUrl() + "/fhir)");
        stopped.await();
        return 0;
    }

    private static int configCheck(List<String> args) {
        try {
            TesseraConfig config = load(args.get(0).startsWith("--") ? args : prepend("--config", args), ModelsCommand::modelNames);
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

    private static List<String> prepend(String flag, List<String> args) {
        List<String> out = new ArrayList<>();
        out.add(flag);
        out.addAll(args);
        return out;
    }

    /** {@code --config FILE} (or {@code --config=FILE}) names the file; all other {@code --key=value} are overrides. */
    static TesseraConfig load(List<String> args) throws ConfigException {
        return load(args, c -> null);
    }

    static TesseraConfig load(List<String> args, java.util.function.Function<TesseraConfig, java.util.Set<String>> knownModels)
            throws ConfigException {
        Path file = null;
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--config") && i + 1 < args.size()) file = Path.of(args.get(++i));
            else if (a.startsWith("--config=")) file = Path.of(a.substring("--config=".length()));
            else if (a.startsWith("--") && a.contains("=")) overrides.add(a);
            else throw new ConfigException(List.of(a + ": unexpected argument (use --key=value)"));
        }
        if (file != null && !Files.isRegularFile(file)) throw new ConfigException(List.of(file + ": no such file"));
        return new ConfigLoader().load(file, System.getenv(), overrides, knownModels);
    }

    private static void printViolations(ConfigException e) {
        System.err.println("configuration is invalid:");
        e.violations().forEach(v -> System.err.println("  " + v));
    }
}
