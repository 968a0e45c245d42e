package io.tessera.grounding;

import io.tessera.config.LexiconTermConfig;
import io.tessera.core.Code;
import io.tessera.core.Laterality;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The report parser's table of phrases: built in from {@code lexicon.tsv}, extended by {@code grounding.lexicon}.
 * Phrases are matched as whole lower-case words, longest first, so "right lower lobe" wins over "right" and "no
 * evidence of" over "no".
 */
public final class Lexicon {
    private static final String RESOURCE = "lexicon.tsv";
    private final Map<String, Term> byPhrase;
    private final int longestPhrase;

    private Lexicon(Map<String, Term> byPhrase) {
        this.byPhrase = Map.copyOf(byPhrase);
        this.longestPhrase = byPhrase.keySet().stream().mapToInt(p -> p.split(" ").length).max().orElse(1);
    }

    /** The built-in table. */
    public static Lexicon builtIn() {
        try (InputStream in = Lexicon.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("TSR-0453: " + RESOURCE + " missing from the classpath");
            return new Lexicon(read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This table plus the configured terms; a configured phrase replaces a built-in one. */
    public Lexicon with(Collection<LexiconTermConfig> extra) {
        Map<String, Term> m = new HashMap<>(byPhrase);
        for (LexiconTermConfig t : extra) {
            TermKind kind = TermKind.parse(t.kind());
            String phrase = normalise(t.phrase());
            if (t.sameAs() != null && !t.sameAs().isBlank()) {
                Term target = m.get(normalise(t.sameAs()));
                if (target == null) {
                    throw new IllegalArgumentException("TSR-0454: grounding.lexicon '" + t.phrase() + "': sameAs '"
                            + t.sameAs() + "' is not a known phrase");
                }
                m.put(phrase, target.as(phrase));
            } else if (kind == TermKind.FINDING || kind == TermKind.SITE) {
                Code code = Code.sct(t.code(), t.meaning());
                String organ = t.organ() == null || t.organ().isBlank() ? null : t.organ();
                m.put(phrase, new Term(kind, phrase, code, organ, null, null, true, null));
            } else {
                m.put(phrase, Term.cue(kind, phrase));
            }
        }
        return new Lexicon(m);
    }

    public Optional<Term> lookup(String phrase) {
        return Optional.ofNullable(byPhrase.get(phrase));
    }

    /** Site phrases (synonyms included) that name a whole organ or structure: no side, no lobe or segment. */
    public Map<String, Term> wholeSites() {
        Map<String, Term> out = new java.util.TreeMap<>();
        byPhrase.forEach((p, t) -> {
            if (t.kind() == TermKind.SITE && t.side() == null && t.zone() == null) out.put(p, t);
        });
        return out;
    }

    int longestPhrase() {
        return longestPhrase;
    }

    public int size() {
        return byPhrase.size();
    }

    static String normalise(String phrase) {
        return String.join(" ", Tokenizer.words(phrase.toLowerCase(Locale.ROOT)));
    }

    private static Map<String, Term> read(List<String> lines) {
        Map<String, Term> m = new HashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] c = line.split("\t");
            try {
                TermKind kind = TermKind.parse(c[0]);
                String phrase = normalise(c[1]);
                if (c.length > 2 && c[2].startsWith("=")) {
                    Term target = m.get(normalise(c[2].substring(1)));
                    if (target == null) throw new IllegalArgumentException("unknown target " + c[2]);
                    m.put(phrase, target.as(phrase));
                    continue;
                }
                m.put(phrase, switch (kind) {
                    case FINDING -> new Term(kind, phrase, Code.sct(c[2], c[3]), null, null, null, "yes".equals(c[4]), null,
                            c.length > 5 ? Appearance.valueOf(c[5]) : null);
                    case SITE -> new Term(kind, phrase, Code.sct(c[2], c[3]), dash(c[4]), dash(c[5]),
                            dash(c[6]) == null ? null : Laterality.valueOf(c[6]), false, dash(c[7]));
                    case ZONE -> new Term(kind, phrase, null, null, c[2], null, false, null);
                    case LATERALITY -> new Term(kind, phrase, null, null, null, Laterality.valueOf(c[2]), false, null);
                    case APPEARANCE -> new Term(kind, phrase, null, null, null, null, false, null, Appearance.valueOf(c[2]));
                    default -> Term.cue(kind, phrase);
                });
            } catch (RuntimeException e) {
                throw new IllegalStateException("TSR-0455: " + RESOURCE + " line " + (n + 1) + ": " + e.getMessage(), e);
            }
        }
        return m;
    }

    private static String dash(String s) {
        return "-".equals(s) ? null : s;
    }
}
