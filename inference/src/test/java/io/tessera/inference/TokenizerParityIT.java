package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.testkit.NpmTarball;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tessera's tokenizer path ({@link HfTokenizer}: the HuggingFace tokenizers library through DJL) against a second,
 * independent implementation of the same {@code tokenizer.json} semantics: Tokenizers.js ({@code @huggingface/tokenizers}
 * 0.2.0 from npm, pure JavaScript, run by node). Both encode the same phrases, special tokens included, and must give
 * the same ids: a WordPiece tokenizer (all-MiniLM-L6-v2's: BERT normaliser, lower case, accents, CJK characters split,
 * [UNK]) and a byte-level BPE tokenizer (GPT-2 style, learnt in {@link ByteLevelBpe} from report sentences). The
 * phrases are report language plus the inputs tokenizers get wrong: accents, units, dashes, tabs and runs of spaces,
 * CJK, emoji, a word longer than WordPiece's limit, empty text.
 */
class TokenizerParityIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> PHRASES = List.of(
            "Hypodense lesion in the right hepatic lobe measuring 24 mm.",
            "No pleural effusion. Heart size is normal.",
            "IMPRESSION: 1. Enlarged cardiac silhouette (CTR 0.56); 2. no pneumothorax",
            "Spiculated nodule, RUL, 8x6 mm — follow-up CT in 3 months.",
            "Café-au-lait lesion; Ø 3µm, T2/FLAIR hyperintense, ADC ↓",
            "  multiple\tspaces\nand   new lines  ",
            "Segment IVa/IVb (Couinaud) 12.5 cm³ — ~45 HU",
            "肝脏 病变 and ライト lung",
            "emoji 🙂 in a report",
            "pneumonoultramicroscopicsilicovolcanoconiosispneumonoultramicroscopicsilicovolcanoconiosispneumonoultramicroscopicsilicovolcanoconiosis",
            "ALL CAPS HISTORY: R/O PE",
            "");
    static Path tokenizersJs;
    @TempDir Path work;

    @BeforeAll
    static void fetch() {
        NpmTarball.Fetched f = NpmTarball.fetch("@huggingface/tokenizers", "0.2.0");
        assumeTrue(f.dir() != null, f.problem());
        tokenizersJs = f.dir().resolve("dist/tokenizers.cjs");
    }

    @Test
    void wordpiece_ids_match_the_reference_implementation() throws Exception {
        Path tok = work.resolve("minilm-tokenizer.json");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(BundledTextEncoder.TOKENIZER)) {
            Files.copy(in, tok);
        }
        int[] compared = compare(tok);
        assertEquals(PHRASES.size(), compared[0], "every phrase compared");
        System.out.printf("tokenizer parity, WordPiece (all-MiniLM-L6-v2): %d phrases, %d tokens, all equal%n", compared[0], compared[1]);
    }

    @Test
    void byte_level_bpe_ids_match_the_reference_implementation() throws Exception {
        Path tok = work.resolve("bpe-tokenizer.json");
        Files.writeString(tok, ByteLevelBpe.learn(ByteLevelBpe.CORPUS, 300));
        int[] compared = compare(tok);
        assertEquals(PHRASES.size(), compared[0], "every phrase compared");
        assertTrue(compared[1] > 300, "a byte-level tokenizer cuts the phrases into many tokens: " + compared[1]);
        System.out.printf("tokenizer parity, byte-level BPE: %d phrases, %d tokens, all equal%n", compared[0], compared[1]);
    }

    /** Encodes every phrase both ways; fails on the first phrase whose ids differ. Returns {phrases, tokens}. */
    private int[] compare(Path tokenizerJson) throws Exception {
        Path phrases = work.resolve("phrases.json");
        JSON.writeValue(phrases.toFile(), PHRASES);
        Path script = work.resolve("encode.cjs");
        try (InputStream in = getClass().getResourceAsStream("/tokenizers/encode.cjs")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        int[] exit = new int[1];
        String out = NpmTarball.run(work, List.of("node", script.toString(), tokenizersJs.toString(), tokenizerJson.toString(),
                phrases.toString()), 120, exit);
        assertEquals(0, exit[0], out);
        long[][] reference = JSON.readValue(out.strip().lines().reduce((a, b) -> b).orElseThrow(), long[][].class);
        assertEquals(PHRASES.size(), reference.length);
        int tokens = 0;
        try (HfTokenizer ours = HfTokenizer.open(tokenizerJson, 4096)) {
            for (int i = 0; i < PHRASES.size(); i++) {
                long[] ids = ours.encode(PHRASES.get(i)).ids();
                int k = i;
                assertArrayEquals(reference[i], ids, () -> "phrase " + k + " '" + PHRASES.get(k) + "': Tokenizers.js "
                        + Arrays.toString(reference[k]) + ", Tessera " + Arrays.toString(ids) + " " + Arrays.toString(ours.tokens(PHRASES.get(k))));
                tokens += ids.length;
            }
        }
        assertTrue(tokens > PHRASES.size() * 3, "the phrases were tokenized into more than their special tokens: " + tokens);
        return new int[] {PHRASES.size(), tokens};
    }
}
