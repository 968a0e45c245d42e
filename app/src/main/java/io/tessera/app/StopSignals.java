package io.tessera.app;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the process's stop signals (TERM, INT, HUP) away from the JVM's default handler, which starts every shutdown
 * hook at once, and runs one action instead, once. The action stops Tessera in order and then lets {@code main}
 * return, so the JVM's own exit (and the libraries' hooks, ONNX Runtime's among them) comes after.
 */
final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {}

    static void install(Runnable onStop) {
        AtomicBoolean once = new AtomicBoolean();
        for (String name : List.of("TERM", "INT", "HUP")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    if (once.compareAndSet(false, true)) {
                        log.info("SIG{} received: stopping", signal.getName());
                        onStop.run();
                    }
                });
            } catch (IllegalArgumentException unavailable) {
                // HUP is ignored by nohup and unknown on some platforms; the JVM keeps its own handling there
                log.debug("signal {} not handled here: {}", name, unavailable.getMessage());
            }
        }
    }
}
