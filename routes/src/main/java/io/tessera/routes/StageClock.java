package io.tessera.routes;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects how long each processing stage took for one study version; a stage that runs once per job is
 * reported from its first start to its last end, in the order stages first started.
 */
final class StageClock {
    record Span(Instant start, Instant end) {}

    private final Clock clock;
    private final Map<String, Span> spans = new LinkedHashMap<>();
    private volatile java.util.function.Consumer<String> onStage = s -> { };

    StageClock(Clock clock) {
        this.clock = clock;
    }

    /** Told the name of each stage as it starts (the console's live progress); null: nobody. */
    void onStage(java.util.function.Consumer<String> listener) {
        onStage = listener == null ? s -> { } : listener;
    }

    <T> T time(String stage, ThrowingSupplier<T> work) throws Exception {
        onStage.accept(stage);
        Instant start = clock.instant();
        try {
            return work.get();
        } finally {
            Instant end = clock.instant();
            spans.merge(stage, new Span(start, end), (a, b) -> new Span(a.start(), b.end()));
        }
    }

    Map<String, Span> spans() {
        return spans;
    }

    @FunctionalInterface
    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
