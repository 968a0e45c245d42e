package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FastExpTest {

    @Test
    void matches_math_exp_closely() {
        double worst = 0, worstNear = 0;
        for (float x = -80f; x <= 80f; x += 0.00173f) {
            double want = Math.exp(x);
            double err = Math.abs(FastExp.exp(x) - want) / want;
            worst = Math.max(worst, err);
            if (Math.abs(x) < 20) worstNear = Math.max(worstNear, err);
        }
        assertTrue(worst < 1e-5, "worst relative error " + worst);
        assertTrue(worstNear < 2e-6, "worst relative error for |x| < 20: " + worstNear);
    }

    @Test
    void saturates_instead_of_overflowing() {
        assertEquals(0f, FastExp.exp(-1000f), 1e-37f);
        assertTrue(Float.isFinite(FastExp.exp(1000f)));
        assertEquals(1f, FastExp.exp(0f), 1e-7f);
    }
}
