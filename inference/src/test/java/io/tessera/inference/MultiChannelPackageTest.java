package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.core.Grid;
import io.tessera.core.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code input.channels}: the two-series reference package loads with its channels; broken channel lists and a graph
 * of another channel count are named; the segmenter refuses the wrong number of channels or channels on two grids,
 * and with both channels tells apart what neither tells alone.
 */
class MultiChannelPackageTest {
    static final Path REFERENCE = Path.of("..", "models", "mr-phantom-two-sequence");
    @TempDir Path tmp;

    private Path copy(UnaryOperator<String> edit) {
        return TestModels.copy(REFERENCE, tmp.resolve("pkg"), edit);
    }

    @Test
    void the_reference_package_declares_two_channels() throws Exception {
        ModelManifest m = ModelPackage.load(REFERENCE).manifest();
        assertEquals(2, m.input().channelCount());
        assertEquals(List.of("t1", "flair"), m.input().channels().stream().map(ModelManifest.Channel::name).toList());
    }

    @Test
    void broken_channels_and_a_graph_of_another_channel_count_are_named() throws Exception {
        List<String> p = assertThrows(ModelPackageException.class, () -> ModelPackage.load(copy(y -> y
                .replace("{ name: flair, seriesDescription: \"(?i)flair\" }", "{ name: t1, seriesDescription: \"(flair\" }")))).problems();
        assertTrue(p.contains("input.channels[1].name: duplicate 't1'"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("input.channels[1].seriesDescription: not a regular expression")), p.toString());
        Files.walk(tmp).sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        List<String> q = assertThrows(ModelPackageException.class, () -> ModelPackage.load(copy(y -> y
                .replace("    - { name: flair,", "    - { name: pd, seriesDescription: \"(?i)pd\" }\n    - { name: flair,")))).problems();
        assertTrue(q.contains("input.name: graph input has 2 channels, expected 3 (input.channels)"), q.toString());
    }

    @Test
    void the_segmenter_takes_exactly_the_declared_channels_on_one_grid_and_uses_both() throws Exception {
        try (ModelRegistry models = ModelRegistry.load(List.of(REFERENCE.getParent()), InferenceSettings.cpu())) {
            LoadedModel m = models.get("mr-phantom-two-sequence").orElseThrow();
            Grid g = Grid.axial(24, 24, 8, new double[] {0, 0, 0}, new double[] {2, 2, 4});
            float[] t1 = new float[g.voxelCount()], flair = new float[g.voxelCount()];
            for (int k = 0; k < g.nz(); k++) {
                for (int j = 0; j < g.ny(); j++) {
                    for (int i = 0; i < g.nx(); i++) {
                        int v = g.index(i, j, k);
                        boolean body = i >= 4 && i < 20, lesion = body && i >= 10 && i < 14;
                        t1[v] = body ? 600 : 0;
                        flair[v] = lesion ? 900 : body ? 80 : 0;
                    }
                }
            }
            Segmenter s = new Segmenter();
            InferenceException one = assertThrows(InferenceException.class, () -> s.segment(m, new Volume(g, t1)));
            assertTrue(one.getMessage().startsWith("TSR-0311"), one.getMessage());
            Grid other = Grid.axial(24, 24, 8, new double[] {1, 0, 0}, new double[] {2, 2, 4});
            InferenceException grids = assertThrows(InferenceException.class, () -> s.segment(m,
                    List.of(new Volume(g, t1), new Volume(other, flair)), WindowProgress.NONE));
            assertTrue(grids.getMessage().contains("channel grids differ"), grids.getMessage());
            byte[] labels = s.segment(m, List.of(new Volume(g, t1), new Volume(g, flair)), WindowProgress.NONE).labels().labels();
            int mid = 4 * 24 * 24 + 12 * 24;
            assertEquals(0, labels[mid + 2], "background");
            assertEquals(1, labels[mid + 6], "body: bright in T1, dark in FLAIR");
            assertEquals(2, labels[mid + 11], "lesion: isointense in T1, bright in FLAIR");
        }
    }
}
