package io.tessera.listener;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command-line peer (dcmtk, openssl, keytool) with TCP_NODELAY, returning its exit code and output. */
record Tool(int exit, String output) {
    static Tool run(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            return new Tool(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    static Tool run(String... command) throws Exception {
        return run(List.of(command));
    }

    Tool ok() {
        if (exit != 0) {
            throw new AssertionError("exit " + exit + ":\n" + output);
        }
        return this;
    }
}
