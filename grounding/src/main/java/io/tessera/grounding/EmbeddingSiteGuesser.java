package io.tessera.grounding;

import io.tessera.inference.BundledTextEncoder;
import io.tessera.inference.InferenceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guesses a site with a sentence encoder ({@link BundledTextEncoder}, all-MiniLM-L6-v2): every whole-organ site phrase
 * of the lexicon and every phrase of anatomy the lexicon has no site for ({@code anatomy-elsewhere.txt}) is embedded
 * once; a candidate word is read as the site whose phrase is nearest, when that phrase names a segmented organ, the
 * cosine similarity is at least {@link #MIN_SIMILARITY} and it beats the nearest phrase of any other site or anatomy
 * by {@link #MIN_MARGIN}. Sites that are not segmented (pancreas, adrenal) only ever stop a guess: a guess is for
 * grounding, and a wrong code is worse than none ("intrarenal" is nearest to "adrenal", 0.63). Sentence encoders place
 * "left" and "right" almost together, so only unsided sites are candidates and the side stays the text's.
 */
public final class EmbeddingSiteGuesser implements SiteGuesser, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddingSiteGuesser.class);
    /** Below this a word is not taken for any organ (measured: "nephric"→renal 0.44, "lesion"→lung 0.34). */
    static final double MIN_SIMILARITY = 0.5;
    /** How far the nearest site must beat the nearest phrase of anything else. */
    static final double MIN_MARGIN = 0.05;

    private record Anchor(String phrase, Term site, float[] vector) {}

    private final BundledTextEncoder encoder;
    private final List<Anchor> anchors = new ArrayList<>();

    private EmbeddingSiteGuesser(BundledTextEncoder encoder) {
        this.encoder = encoder;
    }

    /** Loads the encoder and embeds the lexicon's whole-organ sites and the other anatomy (about a second). */
    public static EmbeddingSiteGuesser open(Lexicon lexicon) throws IOException {
        BundledTextEncoder encoder = BundledTextEncoder.open();
        EmbeddingSiteGuesser g = new EmbeddingSiteGuesser(encoder);
        try {
            for (Map.Entry<String, Term> e : lexicon.wholeSites().entrySet()) {
                Term site = e.getValue().organ() == null ? null : e.getValue(); // not segmented: stops a guess, never is one
                g.anchors.add(new Anchor(e.getKey(), site, encoder.embed(e.getKey())));
            }
            for (String phrase : elsewhere()) {
                if (lexicon.lookup(phrase).isEmpty()) g.anchors.add(new Anchor(phrase, null, encoder.embed(phrase)));
            }
        } catch (InferenceException | RuntimeException e) {
            g.close();
            throw new IOException("cannot embed the lexicon's sites: " + e.getMessage(), e);
        }
        return g;
    }

    private static List<String> elsewhere() throws IOException {
        try (InputStream in = EmbeddingSiteGuesser.class.getResourceAsStream("anatomy-elsewhere.txt")) {
            if (in == null) throw new IOException("anatomy-elsewhere.txt missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }

    @Override
    public Optional<Guess> guess(List<String> candidates) {
        Guess best = null;
        for (String words : candidates) {
            float[] v;
            try {
                v = encoder.embed(words.toLowerCase(Locale.ROOT));
            } catch (InferenceException e) {
                log.warn("TSR-0466: site guess skipped: the sentence encoder failed: {}", e.getMessage());
                return Optional.empty();
            }
            Anchor top = null;
            double topSim = -2;
            for (Anchor a : anchors) {
                double s = BundledTextEncoder.cosine(v, a.vector());
                if (s > topSim) {
                    topSim = s;
                    top = a;
                }
            }
            if (top == null || top.site() == null || topSim < MIN_SIMILARITY) continue;
            double other = -2;
            for (Anchor a : anchors) {
                if (a.site() == null ? !a.phrase().equals(top.phrase()) : !a.site().code().equals(top.site().code())) other = Math.max(other, BundledTextEncoder.cosine(v, a.vector()));
            }
            if (topSim - other < MIN_MARGIN) continue;
            if (best == null || topSim > best.similarity()) {
                best = new Guess(words, top.site(), top.phrase(), topSim, BundledTextEncoder.NAME);
            }
        }
        // the report's own words stay out of the log (they may sit next to patient data); the site and score do not
        if (best != null) log.info("site read from a word the lexicon lacks: {} (cosine {})", best.site().code().meaning(),
                String.format(Locale.ROOT, "%.2f", best.similarity()));
        return Optional.ofNullable(best);
    }

    @Override
    public void close() {
        encoder.close();
    }

    /**
     * A guesser that loads the encoder when a finding first needs a guess (most reports name their sites in words
     * the lexicon knows, and a server that never sees one pays nothing); when it cannot load, guessing is off with
     * TSR-0467 logged once.
     */
    public static Lazy lazy(Lexicon lexicon) {
        return new Lazy(lexicon);
    }

    /** See {@link #lazy}. Thread-safe. */
    public static final class Lazy implements SiteGuesser, AutoCloseable {
        private final Lexicon lexicon;
        private EmbeddingSiteGuesser loaded;
        private boolean failed;
        private boolean closed;

        private Lazy(Lexicon lexicon) {
            this.lexicon = lexicon;
        }

        @Override
        public synchronized Optional<Guess> guess(List<String> candidates) {
            if (closed || failed) return Optional.empty();
            if (loaded == null) {
                try {
                    loaded = open(lexicon);
                } catch (IOException | RuntimeException | LinkageError e) {
                    failed = true;
                    log.warn("TSR-0467: sites in words the lexicon lacks will not be read: {}", e.getMessage());
                    return Optional.empty();
                }
            }
            return loaded.guess(candidates);
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (loaded != null) loaded.close();
        }
    }
}
