package io.tessera.core;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class UidsTest {
    @Test
    void derived_uids_are_stable_valid_and_distinct() {
        String a = Uids.derive("1.2.3", "v1", "ct-phantom-organs", "1.0.0", "SEG");
        assertEquals(a, Uids.derive("1.2.3", "v1", "ct-phantom-organs", "1.0.0", "SEG"));
        assertNotEquals(a, Uids.derive("1.2.3", "v2", "ct-phantom-organs", "1.0.0", "SEG"));
        assertTrue(a.matches("2\\.25\\.[1-9][0-9]*"), a);
        assertTrue(a.length() <= 64, "UID longer than 64: " + a);
    }

    @Test
    void label_map_dice_counts_overlap() {
        Grid g = Grid.axial(4, 1, 1, new double[3], new double[] {1, 1, 1});
        LabelMap a = new LabelMap(g, new byte[] {1, 1, 0, 0});
        LabelMap b = new LabelMap(g, new byte[] {1, 0, 0, 1});
        assertEquals(0.5, a.dice(b, 1), 1e-9);
        assertEquals(1.0, a.dice(b, 7), 1e-9);
    }
}
