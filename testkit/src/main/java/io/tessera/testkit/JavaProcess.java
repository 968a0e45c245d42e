package io.tessera.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java main class run in a process of its own, on the test JVM's class path, its output in a log file: brokers and
 * Tessera nodes a test can kill like a real crash ({@link #kill()}: SIGKILL by PID) or stop ({@link #close()}: SIGTERM,
 * so shutdown hooks run, then SIGKILL if it does not exit).
 */
public final class JavaProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private JavaProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass} with {@code args}, JVM options {@code jvmOptions}, output to {@code log}. */
    public static JavaProcess start(Class<?> mainClass, List<String> jvmOptions, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        // the test JVM's class path (under Maven a manifest-only jar whose Class-Path names every dependency)
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(args);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new JavaProcess(p, log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The log so far (the last {@code max} characters), for failure messages. */
    public String logTail(int max) {
        try {
            String s = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            return s.length() > max ? s.substring(s.length() - max) : s;
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** True once the log holds {@code line}; fails if the process exits first or {@code seconds} pass. */
    public void awaitLog(String line, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (logTail(Integer.MAX_VALUE).contains(line)) return;
            if (!process.isAlive()) throw new IOException("process exited (" + process.exitValue() + ") before '" + line + "': " + logTail(3000));
            Thread.sleep(50);
        }
        throw new IOException("no '" + line + "' within " + seconds + " s: " + logTail(3000));
    }

    /** kill -9: the process dies at once, as in a crash (no shutdown hook, nothing flushed). */
    public void kill() throws InterruptedException {
        signal("-KILL");
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** SIGTERM by PID (shutdown hooks run), then SIGKILL after 20 s. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                signal("-TERM");
                if (!process.waitFor(20, TimeUnit.SECONDS)) kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void signal(String signal) throws InterruptedException {
        if (!process.isAlive()) return;
        try {
            new ProcessBuilder("kill", signal, Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            process.destroyForcibly();
        }
    }
}
