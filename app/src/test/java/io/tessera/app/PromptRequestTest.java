package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The prompts route's body: a box or clicks on one frame, every malformed one refused with a reason and a code. */
class PromptRequestTest {
    private static PromptRequest parse(String json) throws Exception {
        return PromptRequest.parse(JsonServlet.JSON.readTree(json));
    }

    @Test
    void a_box_and_clicks_are_read_in_the_frames_pixels() throws Exception {
        PromptRequest box = parse("{\"model\":\"minisam\",\"seriesUid\":\"1.2.3\",\"sopInstanceUid\":\"1.2.3.4\",\"box\":[30,40,10,20]}");
        assertArrayEquals(new float[] {10, 20, 30, 40}, box.prompt().xy());
        assertEquals(1, box.frameNumber());
        PromptRequest clicks = parse("{\"model\":\"minisam\",\"seriesUid\":\"1.2.3\",\"sopInstanceUid\":\"1.2.3.4\","
                + "\"frameNumber\":2,\"points\":[[5,6,1],[7,8,0]]}");
        assertArrayEquals(new float[] {1, 0}, clicks.prompt().labels());
        assertEquals(2, clicks.frameNumber());
    }

    @Test
    void malformed_bodies_are_refused_with_a_reason() {
        String[] bad = {
            "[]",
            "{\"seriesUid\":\"1.2\",\"sopInstanceUid\":\"1.2.3\",\"box\":[0,0,1,1]}",
            "{\"model\":\"m\",\"seriesUid\":\"x\",\"sopInstanceUid\":\"1.2.3\",\"box\":[0,0,1,1]}",
            "{\"model\":\"m\",\"seriesUid\":\"1.2\",\"sopInstanceUid\":\"1.2.3\"}",
            "{\"model\":\"m\",\"seriesUid\":\"1.2\",\"sopInstanceUid\":\"1.2.3\",\"box\":[0,0,1]}",
            "{\"model\":\"m\",\"seriesUid\":\"1.2\",\"sopInstanceUid\":\"1.2.3\",\"box\":[0,0,1,1],\"points\":[[1,1,1]]}",
            "{\"model\":\"m\",\"seriesUid\":\"1.2\",\"sopInstanceUid\":\"1.2.3\",\"points\":[[1,1,2]]}",
            "{\"model\":\"m\",\"seriesUid\":\"1.2\",\"sopInstanceUid\":\"1.2.3\",\"box\":[0,0,1,1],\"colour\":1}",
            "{\"model\":\"m\",\"seriesUid\":\"1.2\",\"sopInstanceUid\":\"1.2.3\",\"box\":[0,0,1,1],\"frameNumber\":0}",
        };
        for (String b : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(b), b);
            assertTrue(e.getMessage().startsWith("TSR-0821: "), b + " -> " + e.getMessage());
        }
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"model\":\"m\",\"seriesUid\":\"1.2\",\"sopInstanceUid\":\"1.2.3\",\"box\":[1,1,1,5]}"));
        assertTrue(empty.getMessage().startsWith("TSR-0345: "), empty.getMessage());
    }

    @Test
    void the_prompts_route_needs_its_own_scope() {
        assertEquals("tessera/prompts.write", ApiScopes.required("POST", "/api/studies/1.2.3/prompts"));
        assertEquals(Caller.ADMIN, ApiScopes.required("POST", "/api/studies/1.2.3/other"));
        assertEquals(ApiScopes.STUDIES_READ, ApiScopes.required("GET", "/api/studies"));
    }
}
