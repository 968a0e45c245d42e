package io.tessera.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeometryConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaults_resample_uneven_spacing_and_gantry_tilt() throws Exception {
        GeometryConfig g = new ConfigLoader().load(null, Map.of(), List.of()).inference().geometry();
        assertEquals(GeometryConfig.defaults(), g);
        assertEquals("resample", g.irregularSpacing());
        assertEquals("resample", g.gantryTilt());
    }

    @Test
    void both_keys_map_from_yaml_and_the_command_line() throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, "inference:\n  geometry:\n    irregularSpacing: refuse\n");
        GeometryConfig g = new ConfigLoader().load(f, Map.of(), List.of("--inference.geometry.gantryTilt=refuse"))
                .inference().geometry();
        assertEquals(new GeometryConfig("refuse", "refuse"), g);
    }

    @Test
    void other_values_are_violations_with_their_path() throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, "inference:\n  geometry:\n    irregularSpacing: interpolate\n    gantryTilt: ''\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(f, Map.of(), List.of()));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("inference.geometry.irregularSpacing: must be resample or refuse"), all);
        assertTrue(all.contains("inference.geometry.gantryTilt: must be resample or refuse"), all);
    }
}
