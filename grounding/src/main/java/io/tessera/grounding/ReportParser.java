package io.tessera.grounding;

import io.tessera.core.Assertion;
import io.tessera.core.Code;
import io.tessera.core.Laterality;
import io.tessera.core.ReportFinding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rule-based report parser: sentences, finding terms, and per finding its assertion, site, side and size. Deterministic
 * (the same text always gives the same findings) and explainable (each finding lists the words behind each decision).
 *
 * <p>Rules, in the NegEx tradition:
 * <ul>
 *   <li>Site, zone, side and size words attach to the nearest finding term in the same clause (clauses end at ";");
 *       on a tie a size goes to the following finding ("8 mm nodule"), anything else to the preceding one
 *       ("nodule in the right lower lobe").</li>
 *   <li>A negation cue ("no", "without", "free of", "negative for", "no evidence of") negates the findings after it
 *       up to a scope breaker ("but", "however", ";"), and not past a size stated after a negated finding: "no
 *       effusion and an 8 mm nodule" keeps the measured nodule present ("no 5 mm nodule" is still negated). Post cues ("not seen", "has resolved") negate the findings of
 *       their clause before them.</li>
 *   <li>An uncertainty cue ("possible", "cannot exclude", "may represent", "suspicious for") makes the findings of its
 *       clause UNCERTAIN, unless negated.</li>
 *   <li>Clauses with a historical cue ("history of", "status post", "rule out") and sentences under INDICATION,
 *       HISTORY, COMPARISON or TECHNIQUE headings state no finding of this examination and are set aside.</li>
 *   <li>Laterality comes only from words in the text (the site phrase or left/right/bilateral), never inferred.</li>
 *   <li>A finding restated with the same type, site, side, assertion, largest size and appearance words (findings,
 *       then impression, "8 mm" and "0.8 x 0.6 cm") is one finding.</li>
 *   <li>Appearance words ("hypodense", "enhancing", "calcified", "cystic") attach like sites; of several sizes in
 *       a clause, a finding keeps the one nearest its term ("The liver measures 18 cm, with a 2.4 cm lesion").</li>
 * </ul>
 */
public final class ReportParser {
    private static final Set<String> SKIPPED_SECTIONS = Set.of("INDICATION", "CLINICAL INDICATION", "HISTORY",
            "CLINICAL HISTORY", "CLINICAL INFORMATION", "COMPARISON", "TECHNIQUE", "EXAMINATION", "EXAM",
            "REASON FOR EXAM", "REASON FOR EXAMINATION", "PROCEDURE");

    private final Lexicon lexicon;
    private final MentionScanner scanner;
    private final SiteGuesser siteGuesser;

    public ReportParser(Lexicon lexicon) {
        this(lexicon, SiteGuesser.NONE);
    }

    /**
     * @param siteGuesser asked for the site of a finding whose clause names none the lexicon knows, with the clause's
     *                    words the lexicon did not match (it may name a site, never a side)
     */
    public ReportParser(Lexicon lexicon, SiteGuesser siteGuesser) {
        this.lexicon = lexicon;
        this.scanner = new MentionScanner(lexicon);
        this.siteGuesser = siteGuesser;
    }

    public ReportParser() {
        this(Lexicon.builtIn());
    }

    public ParsedReport parse(String report) {
        Map<String, Draft> findings = new LinkedHashMap<>();
        List<String> setAside = new ArrayList<>();
        for (Tokenizer.Sentence s : Tokenizer.sentences(report == null ? "" : report)) {
            List<Tokenizer.Token> tokens = Tokenizer.tokens(s.text());
            List<Mention> mentions = scanner.scan(s.text(), tokens);
            if (mentions.stream().noneMatch(m -> m.kind() == TermKind.FINDING)) continue;
            if (SKIPPED_SECTIONS.contains(s.section())) {
                setAside.add("section " + s.section() + ": \"" + s.text() + "\"");
                continue;
            }
            List<List<Mention>> clauses = clauses(mentions);
            List<int[]> spans = clauseSpans(mentions, tokens.size());
            for (int c = 0; c < clauses.size(); c++) {
                List<Mention> clause = clauses.get(c);
                Mention history = first(clause, TermKind.HISTORICAL);
                if (history != null) {
                    if (first(clause, TermKind.FINDING) != null) {
                        setAside.add("historical \"" + history.text() + "\": \"" + s.text() + "\"");
                    }
                    continue;
                }
                for (Draft d : readClause(s.text(), clause, unmatchedWords(tokens, mentions, spans.get(c)))) {
                    Draft seen = findings.putIfAbsent(d.key(), d);
                    if (seen != null) seen.evidence.add("restated: \"" + s.text() + "\"");
                }
            }
        }
        List<ParsedFinding> out = new ArrayList<>();
        int index = 1;
        for (Draft d : findings.values()) out.add(d.build(index++));
        return new ParsedReport(out, setAside);
    }

    /** Mentions split at ";" (the clause token itself dropped). */
    private static List<List<Mention>> clauses(List<Mention> mentions) {
        List<List<Mention>> out = new ArrayList<>();
        List<Mention> cur = new ArrayList<>();
        for (Mention m : mentions) {
            if (m.term() == null && !m.isSize()) {
                out.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(m);
            }
        }
        out.add(cur);
        return out;
    }

    /** The token range [from, to) of each clause (split at ";" as {@link #clauses} splits). */
    private static List<int[]> clauseSpans(List<Mention> mentions, int tokens) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        for (Mention m : mentions) {
            if (m.term() == null && !m.isSize()) {
                out.add(new int[] {start, m.from()});
                start = m.to();
            }
        }
        out.add(new int[] {start, tokens});
        return out;
    }

    /**
     * Runs of the clause's words that no lexicon phrase matched (numbers and short function words left out), each run
     * and each word alone: what a site guesser may read as a site ("intrahepatic", "renal cortex").
     */
    static List<String> unmatchedWords(List<Tokenizer.Token> tokens, List<Mention> mentions, int[] span) {
        boolean[] covered = new boolean[tokens.size()];
        for (Mention m : mentions) for (int i = m.from(); i < m.to() && i < covered.length; i++) covered[i] = true;
        List<String> out = new ArrayList<>();
        List<String> run = new ArrayList<>();
        for (int i = span[0]; i <= span[1]; i++) {
            String w = i < span[1] ? tokens.get(i).text() : null;
            boolean word = w != null && !covered[i] && w.length() >= 4 && w.chars().allMatch(Character::isLetter)
                    && !FUNCTION_WORDS.contains(w);
            if (word) {
                run.add(w);
                out.add(w);
            } else {
                if (run.size() > 1) out.add(String.join(" ", run));
                run.clear();
            }
        }
        return out.stream().distinct().toList();
    }

    private static final Set<String> FUNCTION_WORDS = Set.of("with", "within", "there", "this", "that", "these", "those",
            "from", "into", "onto", "upon", "which", "where", "when", "were", "been", "being", "have", "also", "seen",
            "noted", "shows", "show", "measuring", "measures", "measure", "approximately", "about", "size", "sized",
            "small", "large", "several", "multiple", "single", "new", "again", "unchanged", "stable", "findings",
            "impression", "region", "area");

    private List<Draft> readClause(String sentence, List<Mention> clause, List<String> unmatched) {
        List<Mention> findingTerms = clause.stream().filter(m -> m.kind() == TermKind.FINDING).toList();
        List<Draft> drafts = new ArrayList<>();
        for (Mention f : findingTerms) drafts.add(new Draft(sentence, f));
        if (drafts.isEmpty()) return drafts;
        for (Mention m : clause) {
            if (m.isSize() || m.kind() == TermKind.SITE || m.kind() == TermKind.ZONE || m.kind() == TermKind.LATERALITY
                    || m.kind() == TermKind.APPEARANCE) {
                nearest(drafts, m).attach(m);
            }
        }
        assertions(clause, drafts);
        for (Draft d : drafts) {
            d.resolveSite(lexicon);
            if (d.site == null && !unmatched.isEmpty()) {
                siteGuesser.guess(unmatched).ifPresent(g -> d.guessedSite(g, lexicon));
            }
        }
        return drafts;
    }

    private static Draft nearest(List<Draft> drafts, Mention m) {
        Draft best = null;
        int bestDist = Integer.MAX_VALUE;
        for (Draft d : drafts) {
            int dist = d.term.distance(m);
            boolean after = d.term.from() >= m.to();
            // Tie: sizes prefer the finding they precede, everything else the finding they follow.
            if (dist < bestDist || (dist == bestDist && m.isSize() && after)) {
                best = d;
                bestDist = dist;
            }
        }
        return best;
    }

    private static void assertions(List<Mention> clause, List<Draft> drafts) {
        for (int n = 0; n < clause.size(); n++) {
            Mention cue = clause.get(n);
            if (cue.kind() == TermKind.NEGATION) {
                boolean negatedOne = false;
                for (int k = n + 1; k < clause.size(); k++) {
                    Mention m = clause.get(k);
                    if (m.kind() == TermKind.BREAKER || (m.isSize() && negatedOne)) break;
                    if (m.kind() == TermKind.FINDING) {
                        draftOf(drafts, m).negate(cue);
                        negatedOne = true;
                    }
                }
            } else if (cue.kind() == TermKind.NEGATION_POST) {
                for (Draft d : drafts) if (d.term.to() <= cue.from()) d.negate(cue);
            }
        }
        Mention uncertain = first(clause, TermKind.UNCERTAINTY);
        if (uncertain != null) for (Draft d : drafts) d.doubt(uncertain);
    }

    private static Draft draftOf(List<Draft> drafts, Mention term) {
        for (Draft d : drafts) if (d.term == term) return d;
        throw new IllegalStateException("finding term without draft");
    }

    private static Mention first(List<Mention> clause, TermKind kind) {
        for (Mention m : clause) if (m.kind() == kind) return m;
        return null;
    }

    /** A finding being assembled from its clause. */
    private static final class Draft {
        final String sentence;
        final Mention term;
        final List<String> evidence = new ArrayList<>();
        final List<Mention> sites = new ArrayList<>();
        final List<Mention> sides = new ArrayList<>();
        String zone;
        double[] sizes;
        Mention size;
        Appearance appearance;
        Assertion assertion = Assertion.PRESENT;
        Code site;
        Laterality laterality = Laterality.UNSPECIFIED;
        List<String> organs = List.of();

        Draft(String sentence, Mention term) {
            this.sentence = sentence;
            this.term = term;
            evidence.add("finding \"" + term.text() + "\" -> " + describe(term.term().code()));
        }

        void attach(Mention m) {
            if (m.isSize()) {
                // The size nearest the finding term is its own: "The liver measures 18 cm, with a 2.4 cm lesion".
                if (size == null || m.distance(term) < size.distance(term)) {
                    if (size != null) evidence.add("size \"" + size.text() + "\" set aside: \"" + m.text() + "\" is nearer");
                    size = m;
                    sizes = m.sizesMm();
                    evidence.add("size \"" + m.text() + "\" -> " + Arrays.toString(sizes) + " mm");
                }
            } else if (m.kind() == TermKind.APPEARANCE) {
                if (appearance == null) {
                    appearance = m.term().appearance();
                    evidence.add("appearance \"" + m.text() + "\" -> " + appearance);
                }
            } else if (m.kind() == TermKind.SITE) {
                sites.add(m);
            } else if (m.kind() == TermKind.ZONE) {
                zone = m.term().zone();
                evidence.add("zone \"" + m.text() + "\" -> " + zone);
            } else {
                sides.add(m);
            }
        }

        void negate(Mention cue) {
            if (assertion != Assertion.ABSENT) evidence.add("negation \"" + cue.text() + "\" -> ABSENT");
            assertion = Assertion.ABSENT;
        }

        void doubt(Mention cue) {
            if (assertion == Assertion.PRESENT) {
                assertion = Assertion.UNCERTAIN;
                evidence.add("uncertainty \"" + cue.text() + "\" -> UNCERTAIN");
            }
        }

        /** The most specific attached site (one naming a side or zone), sided by the laterality words if needed. */
        void resolveSite(Lexicon lexicon) {
            Mention best = null;
            for (Mention m : sites) if (best == null || specificity(m.term()) > specificity(best.term())) best = m;
            Laterality worded = Laterality.UNSPECIFIED;
            for (Mention m : sides) {
                Laterality s = m.term().side();
                worded = worded == Laterality.UNSPECIFIED || worded == s ? s : Laterality.BILATERAL;
                evidence.add("laterality \"" + m.text() + "\" -> " + s);
            }
            laterality = worded;
            if (best == null) return;
            Term t = best.term();
            if (t.side() != null) {
                if (worded != Laterality.UNSPECIFIED && worded != t.side()) {
                    evidence.add("laterality conflict: site \"" + best.text() + "\" says " + t.side() + ", kept");
                }
                laterality = t.side();
            } else if (t.sidedBase() != null && (worded == Laterality.LEFT || worded == Laterality.RIGHT)) {
                Term sided = lexicon.lookup(worded.name().toLowerCase(Locale.ROOT) + " " + t.sidedBase()).orElse(null);
                if (sided != null) t = sided;
            }
            site = t.code();
            if (zone == null) zone = t.zone();
            organs = organsOf(t.organ(), laterality);
            evidence.add("site \"" + best.text() + "\" -> " + describe(site) + (organs.isEmpty() ? " (not segmented)"
                    : " in " + String.join("+", organs)) + (zone == null ? "" : ", zone " + zone));
        }

        /**
         * The site a {@link SiteGuesser} read in a word the lexicon lacks: an unsided organ only, sided by the text's own
         * laterality words as a lexicon site is (never by the guess), recorded with the word and the similarity.
         */
        void guessedSite(SiteGuesser.Guess g, Lexicon lexicon) {
            Term t = g.site();
            if (t.side() != null || t.zone() != null) return; // a guess never decides a side or a part of an organ
            if (t.sidedBase() != null && (laterality == Laterality.LEFT || laterality == Laterality.RIGHT)) {
                Term sided = lexicon.lookup(laterality.name().toLowerCase(Locale.ROOT) + " " + t.sidedBase()).orElse(null);
                if (sided != null) t = sided;
            }
            site = t.code();
            organs = organsOf(t.organ(), laterality);
            evidence.add(String.format(Locale.ROOT, "site \"%s\" not in the lexicon, nearest known site \"%s\" (cosine %.2f, %s)"
                    + " -> %s%s; side only from the text's words", g.words(), g.nearest(), g.similarity(), g.method(),
                    describe(site), organs.isEmpty() ? " (not segmented)" : " in " + String.join("+", organs)));
        }

        /** Side beats zone beats none; a Couinaud segment ("s7") is narrower than a lobe ("rightpart"). */
        private static int specificity(Term t) {
            return (t.side() != null ? 2 : 0) + (t.zone() != null ? 1 : 0)
                    + (t.zone() != null && t.zone().matches("s[1-8]") ? 1 : 0);
        }

        private static List<String> organsOf(String organ, Laterality side) {
            if (organ == null) return List.of();
            if (!organ.contains("{side}")) return List.of(organ);
            return switch (side) {
                case LEFT -> List.of(organ.replace("{side}", "left"));
                case RIGHT -> List.of(organ.replace("{side}", "right"));
                default -> List.of(organ.replace("{side}", "left"), organ.replace("{side}", "right"));
            };
        }

        String key() {
            return term.term().code().value() + "|" + (site == null ? "" : site.value()) + "|" + laterality + "|"
                    + assertion + "|" + (sizes == null ? "" : String.format(Locale.ROOT, "%.1f", sizes[0])) + "|" + zone
                    + "|" + appearance;   // "18 mm enhancing lesion" and "18 mm hypodense lesion" are two findings
        }

        ParsedFinding build(int index) {
            ReportFinding f = new ReportFinding(index, sentence, term.term().code(), site, laterality, assertion, sizes);
            Appearance a = appearance;
            if (a == null) {
                a = term.term().appearance() == null ? Appearance.UNSTATED : term.term().appearance();
                if (a != Appearance.UNSTATED) evidence.add("appearance of a " + term.term().code().meaning().toLowerCase(Locale.ROOT) + " -> " + a);
            } else if (a == Appearance.DARK && term.term().appearance() == Appearance.FLUID) {
                a = Appearance.FLUID;   // "hypodense cyst" is still water
            }
            return new ParsedFinding(f, organs, zone, term.term().focal(), evidence, a);
        }

        private static String describe(Code c) {
            return c.scheme() + " " + c.value() + " " + c.meaning();
        }
    }
}
