package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled sentence encoder through Tessera's tokenizer and pooling, and the pooling rules on their own. */
class TextEncoderTest {

    @Test
    void the_bundled_encoder_gives_unit_vectors_that_carry_organ_synonyms() throws Exception {
        assertTrue(BundledTextEncoder.available());
        try (BundledTextEncoder e = BundledTextEncoder.open()) {
            float[] hepatic = e.embed("hepatic");
            assertEquals(384, hepatic.length);
            assertEquals(1.0, Math.sqrt(TextEncoder.dot(hepatic, hepatic)), 1e-5);
            // the words a lexicon may miss land on the organ they name
            for (String[] pair : List.of(new String[] {"hepatic", "liver"}, new String[] {"renal", "kidney"},
                    new String[] {"splenic", "spleen"}, new String[] {"pulmonary", "lung"}, new String[] {"cardiac", "heart"})) {
                String best = null;
                double bestSim = -2;
                float[] word = e.embed(pair[0]);
                for (String organ : List.of("liver", "kidney", "spleen", "lung", "heart", "bone")) {
                    double s = BundledTextEncoder.cosine(word, e.embed(organ));
                    if (s > bestSim) {
                        bestSim = s;
                        best = organ;
                    }
                }
                assertEquals(pair[1], best, pair[0] + " → " + best + " (" + bestSim + ")");
            }
        }
    }

    @Test
    void mean_pooling_counts_only_tokens_the_mask_keeps_and_cls_takes_the_first() throws Exception {
        float[] states = {1, 2, 3, 4, 100, 100}; // 3 tokens x 2 dims, the last one padding
        long[] shape = {1, 3, 2};
        long[] mask = {1, 1, 0};
        assertArrayEquals(new float[] {2, 3}, new TextEncoder(null, null, java.util.Map.of(), "o", "mean").pool(states, shape, mask));
        assertArrayEquals(new float[] {1, 2}, new TextEncoder(null, null, java.util.Map.of(), "o", "cls").pool(states, shape, mask));
        InferenceException e = assertThrows(InferenceException.class,
                () -> new TextEncoder(null, null, java.util.Map.of(), "o", "none").pool(states, shape, mask));
        assertTrue(e.getMessage().startsWith("TSR-0366"), e.getMessage());
        assertArrayEquals(new float[] {0.6f, 0.8f}, TextEncoder.unit(new float[] {3, 4}), 1e-6f);
        assertArrayEquals(new float[] {0, 0}, TextEncoder.unit(new float[] {0, 0}), "a zero vector stays zero");
    }
}
