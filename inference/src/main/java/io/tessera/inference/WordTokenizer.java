package io.tessera.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The word-level tokenizer of a grounding package ({@code tokenizer.json}, written by
 * {@code training/train_phantom_grounding.py}), applied exactly as the training script's {@code words()} and
 * {@code Vocab.encode()}: lower-case, words and numbers, articles dropped, a size ("8 mm", "1.2 x 0.9 cm") becomes one
 * {@code <size_N>} token with the largest dimension in whole mm, unknown words map to {@code <unk>}, ids are
 * truncated/padded to {@code maxTokens}. Any change here must be made in the script too (WordTokenizerTest pins it).
 */
public final class WordTokenizer implements PhraseTokenizer {
    private static final Pattern TOKEN = Pattern.compile("\\d+(?:\\.\\d+)?|[a-z]+");
    private final Map<String, Integer> vocab;
    private final int unk;
    private final int pad;
    private final int maxTokens;

    WordTokenizer(Map<String, Integer> vocab, int unk, int pad, int maxTokens) {
        this.vocab = Map.copyOf(vocab);
        this.unk = unk;
        this.pad = pad;
        this.maxTokens = maxTokens;
    }

    /** Reads {@code {"model": {"vocab": {word: id}, "unk_token": ...}, "tessera": {"max_tokens", "pad_id"}}}. */
    public static WordTokenizer read(Path file, int maxTokens) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode model = root.path("model");
        JsonNode v = model.path("vocab");
        if (!"WordLevel".equals(model.path("type").asText()) || !v.isObject() || v.isEmpty()) {
            throw new IOException("TSR-0470: " + file.getFileName() + " is not a word-level tokenizer with a vocabulary");
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        Integer unk = vocab.get(model.path("unk_token").asText("<unk>"));
        if (unk == null) throw new IOException("TSR-0470: " + file.getFileName() + " has no id for its unk_token");
        return new WordTokenizer(vocab, unk, root.path("tessera").path("pad_id").asInt(0), maxTokens);
    }

    /** Token ids, padded or truncated to {@code maxTokens}. */
    @Override
    public long[] encode(String text) {
        long[] ids = new long[maxTokens];
        java.util.Arrays.fill(ids, pad);
        List<String> w = words(text);
        for (int n = 0; n < Math.min(maxTokens, w.size()); n++) ids[n] = vocab.getOrDefault(w.get(n), unk);
        return ids;
    }

    /** The script's {@code words()}: lower-case words, articles dropped, sizes as {@code <size_N>} buckets. */
    static List<String> words(String text) {
        List<String> toks = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) toks.add(m.group());
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < toks.size()) {
            String t = toks.get(i);
            if (t.equals("the") || t.equals("a") || t.equals("an")) {
                i++;
                continue;
            }
            if (Character.isDigit(t.charAt(0))) {
                double max = Double.parseDouble(t);
                int j = i + 1;
                while (j + 1 < toks.size() && (toks.get(j).equals("x") || toks.get(j).equals("by"))
                        && Character.isDigit(toks.get(j + 1).charAt(0))) {
                    max = Math.max(max, Double.parseDouble(toks.get(j + 1)));
                    j += 2;
                }
                String unit = j < toks.size() ? toks.get(j) : "";
                double factor = switch (unit) {
                    case "cm", "centimeter", "centimeters" -> 10.0;
                    case "mm", "millimeter", "millimeters" -> 1.0;
                    default -> 0;
                };
                if (factor != 0) {
                    // Python's round() rounds half to even: Math.rint, not Math.round
                    out.add("<size_" + (long) Math.rint(max * factor) + ">");
                    i = j + 1;
                    continue;
                }
            }
            out.add(t);
            i++;
        }
        return out;
    }
}
