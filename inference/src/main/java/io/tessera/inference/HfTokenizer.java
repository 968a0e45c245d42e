package io.tessera.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A HuggingFace {@code tokenizer.json} (WordPiece, BPE, Unigram, with the normaliser, pre-tokeniser and special-token
 * template the file declares) run by the HuggingFace tokenizers library itself, through DJL's binding: the same Rust
 * code the model's authors tokenized with, so ids match theirs. Phrases are truncated to {@code maxTokens} (special
 * tokens included) and never padded: one phrase is encoded at a time. Thread-safe; close it to free the native side.
 */
public final class HfTokenizer implements AutoCloseable {
    /** One encoded phrase: token ids, attention mask and token type ids, all of the same length. */
    public record Encoded(long[] ids, long[] attentionMask, long[] typeIds) {
        public int length() {
            return ids.length;
        }
    }

    private final HuggingFaceTokenizer tokenizer;

    private HfTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public static HfTokenizer open(Path tokenizerJson, int maxTokens) throws IOException {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return open(in, maxTokens);
        }
    }

    public static HfTokenizer open(InputStream tokenizerJson, int maxTokens) throws IOException {
        // the library may otherwise try to fetch a tokenizer by name or report usage; Tessera runs offline
        System.setProperty("offline", "true");
        try {
            return new HfTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "truncation", "true", "maxLength", Integer.toString(maxTokens), "padding", "false",
                    "addSpecialTokens", "true")));
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new IOException("not a tokenizer the HuggingFace tokenizers library can read: " + e.getMessage(), e);
        }
    }

    public Encoded encode(String phrase) {
        Encoding e = tokenizer.encode(phrase);
        return new Encoded(e.getIds(), e.getAttentionMask(), e.getTypeIds());
    }

    /** The tokens of {@code phrase} as strings (special tokens included), for logs and tests. */
    public String[] tokens(String phrase) {
        return tokenizer.encode(phrase).getTokens();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
