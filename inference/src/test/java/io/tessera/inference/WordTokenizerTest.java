package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parity with the training script's tokenizer on the shipped models/phantom-grounding/tokenizer.json. The expected
 * words and ids were produced once in Python with {@code words(p)} and {@code Vocab.encode(p)} from
 * training/train_phantom_grounding.py (Vocab loaded from that tokenizer.json) and pasted here; if the script's
 * tokenization changes, regenerate them the same way.
 */
class WordTokenizerTest {
    static final Path FILE = GroundingPackageTest.DIR.resolve("tokenizer.json");

    @Test
    void words_match_the_python_script() {
        // 1.25 cm is 12.5 mm: Python's round() gives 12 (half to even), Math.round would give 13
        assertEquals(List.of("there", "is", "<size_12>", "nodule", "in", "right", "lower", "lobe"),
                WordTokenizer.words("There is a 1.25 cm nodule in the right lower lobe"));
        assertEquals(List.of("nodule", "in", "left", "upper", "lobe", "<size_18>"),
                WordTokenizer.words("Nodule in the left upper lobe, 1.8 x 1.4 cm"));
        assertEquals(List.of("hypodense", "lesion", "in", "right", "hepatic", "lobe", "<size_13>"),
                WordTokenizer.words("Hypodense lesion in the right hepatic lobe, 13mm"));
        assertEquals(List.of("spiculated", "mass", "of", "<size_30>", "in", "left", "kidney", "unchanged"),
                WordTokenizer.words("Spiculated mass of 2.5 by 3 centimeters in the LEFT kidney, unchanged"));
    }

    @Test
    void ids_match_the_python_script() throws Exception {
        WordTokenizer t = WordTokenizer.read(FILE, 24);
        assertArrayEquals(ids(60, 34, 4, 48, 33, 57, 42, 41), t.encode("There is a 1.25 cm nodule in the right lower lobe"));
        assertArrayEquals(ids(48, 33, 37, 62, 41, 10), t.encode("Nodule in the left upper lobe, 1.8 x 1.4 cm"));
        assertArrayEquals(ids(31, 38, 33, 57, 30, 41, 5), t.encode("Hypodense lesion in the right hepatic lobe, 13mm"));
        assertArrayEquals(ids(47, 28, 59, 38), t.encode("No focal splenic lesion"));
        assertArrayEquals(ids(55, 21, 48, 33, 37, 42, 41), t.encode("Possible 5 mm nodule in the left lower lobe"));
        // "spiculated" is not in the training vocabulary: <unk> = 1
        assertArrayEquals(ids(1, 45, 50, 69, 33, 37, 35, 61),
                t.encode("Spiculated mass of 2.5 by 3 centimeters in the LEFT kidney, unchanged"));
    }

    @Test
    void truncates_to_max_tokens() throws Exception {
        WordTokenizer t = WordTokenizer.read(FILE, 3);
        assertArrayEquals(new long[] {47, 28, 59}, t.encode("No focal splenic lesion"));
    }

    /** Padded with 0 (<pad>) to 24, as Vocab.encode does. */
    private static long[] ids(long... head) {
        long[] out = new long[24];
        System.arraycopy(head, 0, out, 0, head.length);
        return out;
    }

    @Test
    void a_huggingface_tokenizer_file_is_run_by_the_library_and_padded_to_max_tokens(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path hf = tmp.resolve("tokenizer.json");
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream(BundledTextEncoder.TOKENIZER)) {
            java.nio.file.Files.copy(in, hf);
        }
        long[] ids = PhraseTokenizer.read(hf, 12).encode("Hypodense lesion in the liver");
        assertEquals(12, ids.length);
        assertEquals(101, ids[0], "BERT's [CLS] first");
        int sep = -1;
        for (int i = 0; i < ids.length; i++) if (ids[i] == 102) sep = i;
        assertTrue(sep > 1, java.util.Arrays.toString(ids));
        for (int i = sep + 1; i < ids.length; i++) assertEquals(0, ids[i], "padded with the file's pad id");
        assertEquals(12, PhraseTokenizer.read(hf, 12).encode("word ".repeat(40)).length, "truncated to maxTokens");
        // Tessera's own word-level file (it has a "tessera" section) keeps its own rules
        java.nio.file.Path own = java.nio.file.Path.of("..", "models", "phantom-grounding", "tokenizer.json");
        assertInstanceOf(WordTokenizer.class, PhraseTokenizer.read(own, 24));
    }
}
