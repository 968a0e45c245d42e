package io.tessera.grounding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Finds lexicon phrases (longest match first) and sizes in a sentence's tokens. Sizes: a number, optionally
 * {@code x}/{@code by} further numbers, then a unit ({@code mm}, {@code cm}): "8 mm", "12mm", "1.2 x 0.9 cm",
 * "8 x 6 x 5 mm"; returned in millimetres, largest first.
 */
final class MentionScanner {
    private final Lexicon lexicon;

    MentionScanner(Lexicon lexicon) {
        this.lexicon = lexicon;
    }

    List<Mention> scan(String sentence, List<Tokenizer.Token> tokens) {
        List<Mention> out = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            Mention size = size(sentence, tokens, i);
            if (size != null) {
                out.add(size);
                i = size.to();
                continue;
            }
            if (tokens.get(i).text().equals(";")) {
                out.add(new Mention(TermKind.BREAKER, null, i, i + 1, ";", null));
                i++;
                continue;
            }
            Mention term = term(sentence, tokens, i);
            if (term != null) {
                out.add(term);
                i = term.to();
            } else {
                i++;
            }
        }
        return out;
    }

    private Mention term(String sentence, List<Tokenizer.Token> tokens, int i) {
        for (int len = Math.min(lexicon.longestPhrase(), tokens.size() - i); len >= 1; len--) {
            StringBuilder p = new StringBuilder();
            for (int t = i; t < i + len; t++) p.append(t > i ? " " : "").append(tokens.get(t).text());
            Term term = lexicon.lookup(p.toString()).orElse(null);
            if (term != null) return new Mention(term.kind(), term, i, i + len, span(sentence, tokens, i, i + len), null);
        }
        return null;
    }

    private static Mention size(String sentence, List<Tokenizer.Token> tokens, int i) {
        List<Double> values = new ArrayList<>();
        int t = i;
        while (t < tokens.size() && isNumber(tokens.get(t).text())) {
            values.add(Double.parseDouble(tokens.get(t).text()));
            t++;
            if (t < tokens.size() && (tokens.get(t).text().equals("x") || tokens.get(t).text().equals("by"))) t++;
            else break;
        }
        if (values.isEmpty() || t >= tokens.size()) return null;
        double factor = switch (tokens.get(t).text().toLowerCase(Locale.ROOT)) {
            case "mm", "millimeter", "millimeters", "millimetre", "millimetres" -> 1.0;
            case "cm", "centimeter", "centimeters", "centimetre", "centimetres" -> 10.0;
            default -> 0;
        };
        if (factor == 0) return null;
        double[] mm = values.stream().mapToDouble(v -> v * factor).toArray();
        Arrays.sort(mm);
        for (int a = 0, b = mm.length - 1; a < b; a++, b--) {
            double x = mm[a];
            mm[a] = mm[b];
            mm[b] = x;
        }
        return new Mention(null, null, i, t + 1, span(sentence, tokens, i, t + 1), mm);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && Character.isDigit(s.charAt(0));
    }

    private static String span(String sentence, List<Tokenizer.Token> tokens, int from, int to) {
        return sentence.substring(tokens.get(from).start(), tokens.get(to - 1).end());
    }
}
