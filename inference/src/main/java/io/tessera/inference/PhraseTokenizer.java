package io.tessera.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Turns a report phrase into the fixed-length int64 ids a grounding (text-prompted segmentation) model takes. Two
 * kinds of {@code tokenizer.json}: Tessera's own word-level file (it has a {@code tessera} section: {@link WordTokenizer},
 * whose rules the phantom training script shares), or any HuggingFace tokenizer file (WordPiece, BPE, Unigram: the
 * model's own, run by the HuggingFace library through {@link HfTokenizer}), padded with the file's pad id (0 when it
 * names none) to {@code maxTokens}.
 */
public interface PhraseTokenizer {
    /** Token ids, truncated or padded to the package's {@code maxTokens}. */
    long[] encode(String phrase);

    /** The tokenizer a grounding package's file asks for. */
    static PhraseTokenizer read(Path file, int maxTokens) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("TSR-0470: " + file.getFileName() + " is not JSON: " + e.getMessage(), e);
        }
        if (root.has("tessera")) return WordTokenizer.read(file, maxTokens);
        long pad = root.path("padding").path("pad_id").asLong(0);
        HfTokenizer hf = HfTokenizer.open(file, maxTokens);
        return phrase -> {
            long[] ids = hf.encode(phrase).ids();
            long[] out = new long[maxTokens];
            Arrays.fill(out, pad);
            System.arraycopy(ids, 0, out, 0, Math.min(ids.length, maxTokens));
            return out;
        };
    }
}
