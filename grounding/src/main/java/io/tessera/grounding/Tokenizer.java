package io.tessera.grounding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits report text into sentences and sentences into word tokens. A token is a number ({@code 1.2}) or a run of
 * letters; "12mm" gives "12", "mm". Articles are dropped: they never change meaning here, and dropping them lets
 * "right lobe of the liver" match the lexicon's "right lobe of liver".
 */
final class Tokenizer {
    private static final Pattern TOKEN = Pattern.compile("\\d+(?:\\.\\d+)?|[a-z]+|;");
    /** A full stop not inside a number, a semicolon kept as a clause token, a line break, or a colon heading. */
    private static final Pattern SENTENCE_END = Pattern.compile("(?<!\\d)\\.|\\.(?!\\d)|\\n|\\r|!|\\?");
    private static final Pattern HEADING = Pattern.compile("^\\s*([A-Za-z][A-Za-z /]{1,40}):\\s*");

    private Tokenizer() {
    }

    /** One token of a sentence, with its character span in the sentence. */
    record Token(String text, int start, int end) {
    }

    /** A sentence and the section heading it appeared under (upper case, empty when none). */
    record Sentence(String text, String section) {
    }

    /** Headings that open a section; any other "Word:" prefix (e.g. "Liver:") stays part of the sentence. */
    static final java.util.Set<String> SECTIONS = java.util.Set.of("FINDINGS", "IMPRESSION", "CONCLUSION", "REPORT",
            "INDICATION", "CLINICAL INDICATION", "HISTORY", "CLINICAL HISTORY", "CLINICAL INFORMATION", "COMPARISON",
            "TECHNIQUE", "EXAMINATION", "EXAM", "REASON FOR EXAM", "REASON FOR EXAMINATION", "PROCEDURE");

    static List<Sentence> sentences(String report) {
        List<Sentence> out = new ArrayList<>();
        String section = "";
        for (String raw : SENTENCE_END.split(report)) {
            String s = raw.strip();
            Matcher h = HEADING.matcher(s);
            if (h.find() && SECTIONS.contains(h.group(1).strip().toUpperCase(Locale.ROOT))) {
                section = h.group(1).strip().toUpperCase(Locale.ROOT);
                s = s.substring(h.end()).strip();
            }
            if (!s.isEmpty()) out.add(new Sentence(s, section));
        }
        return out;
    }

    static List<Token> tokens(String sentence) {
        List<Token> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(sentence.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String t = m.group();
            if (t.equals("the") || t.equals("a") || t.equals("an")) continue;
            out.add(new Token(t, m.start(), m.end()));
        }
        return out;
    }

    static List<String> words(String text) {
        return tokens(text).stream().map(Token::text).toList();
    }
}
