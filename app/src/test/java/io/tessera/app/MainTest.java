package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an administrator uses it: exit codes, help and messages of its commands. */
class MainTest {
    @TempDir Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut, oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    @Test
    void config_check_accepts_the_readme_example() throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, Files.readString(Path.of("../config/examples/tessera.yaml")) + "models: { dirs: [../models] }\n");
        assertEquals(0, Main.run(new String[] {"config", "check", f.toString()}), err.toString());
        assertTrue(out.toString().contains("configuration is valid: 1 route(s), 2 destination(s)"), out.toString());
    }

    @Test
    void config_check_lists_every_violation_with_its_path_and_fails() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "dicom: { port: 99999 }\nmodels: { dirs: [../models] }\nroutes:\n  - { name: r, models: [x], destinations: [nowhere] }\n");
        assertEquals(1, Main.run(new String[] {"config", "check", f.toString()}));
        String e = err.toString();
        assertTrue(e.contains("dicom.port: must be less than or equal to 65535"), e);
        assertTrue(e.contains("routes[0].models[0]: unknown model 'x'"), e);
        assertTrue(e.contains("routes[0].destinations[0]: unknown destination 'nowhere'"), e);
    }

    @Test
    void a_route_naming_a_grounding_model_is_refused_at_start() throws Exception {
        Path f = dir.resolve("grounding-route.yaml");
        Files.writeString(f, "destinations: [ { name: out, type: folder, path: " + dir.resolve("out") + " } ]\n"
                + "routes:\n  - { name: r, models: [ct-phantom-organs, phantom-grounding], destinations: [out] }\n");
        io.tessera.config.TesseraConfig config = new io.tessera.config.ConfigLoader().load(f, java.util.Map.of(), java.util.List.of());
        java.util.List<String> problems = TesseraServer.routeTaskProblems(config,
                name -> name.equals("phantom-grounding") ? "grounding" : "segmentation");
        assertEquals(java.util.List.of("routes[0].models[1]: model 'phantom-grounding' is a grounding model; "
                + "routes name segmentation or classification models"), problems);
    }

    @Test
    void a_route_mixing_a_classifier_with_a_segmentation_model_is_refused() throws Exception {
        Path f = dir.resolve("mixed-route.yaml");
        Files.writeString(f, "destinations: [ { name: out, type: folder, path: " + dir.resolve("out") + " } ]\n"
                + "routes:\n  - { name: r, models: [ct-phantom-organs, cxr-phantom-findings], destinations: [out] }\n"
                + "  - { name: x, models: [cxr-phantom-findings], destinations: [out] }\n");
        io.tessera.config.TesseraConfig config = new io.tessera.config.ConfigLoader().load(f, java.util.Map.of(), java.util.List.of());
        java.util.List<String> problems = TesseraServer.routeTaskProblems(config,
                name -> name.startsWith("cxr") ? "classification" : "segmentation");
        assertEquals(java.util.List.of("routes[0].models: mixes segmentation and classification models; give each its own route"),
                problems);
    }

    @Test
    void config_check_refuses_a_refine_model_that_is_not_promptable_naming_the_key() throws Exception {
        Path f = dir.resolve("refine.yaml");
        Files.writeString(f, "models: { dirs: [../models] }\ngrounding: { refineWith: ct-phantom-organs }\n");
        assertEquals(1, Main.run(new String[] {"config", "check", f.toString()}));
        assertTrue(err.toString().contains("grounding.refineWith: model 'ct-phantom-organs' is a segmentation model; it must"
                + " be a promptable-segmentation model"), err.toString());
        Files.writeString(f, "models: { dirs: [../models] }\ngrounding: { refineWith: nosuch }\n");
        assertEquals(1, Main.run(new String[] {"config", "check", f.toString()}));
        assertTrue(err.toString().contains("grounding.refineWith: 'nosuch' is not a loaded model"), err.toString());
    }

    @Test
    void models_check_describes_a_valid_package_and_refuses_a_broken_one() throws Exception {
        assertEquals(0, Main.run(new String[] {"models", "check", "../models/ct-phantom-organs"}), err.toString());
        assertTrue(out.toString().contains("10200004"), out.toString());
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("tessera-model.yaml"), "name: broken\n");
        assertEquals(1, Main.run(new String[] {"models", "check", broken.toString()}));
        assertTrue(err.toString().contains("model.onnx"), err.toString());
    }

    @Test
    void models_check_explains_a_broken_promptable_package() throws Exception {
        // the tiny SAM-shaped encoder + decoder committed with the inference tests; copied without its decoder file
        // and with a decoder slot mapped to a tensor name the graph does not have
        Path tiny = Path.of("..", "inference", "src", "test", "resources", "models", "promptable-tiny");
        Path broken = Files.createDirectories(dir.resolve("promptable"));
        Files.copy(tiny.resolve("encoder.onnx"), broken.resolve("encoder.onnx"));
        String yaml = Files.readString(tiny.resolve("tessera-model.yaml"));
        Files.writeString(broken.resolve("tessera-model.yaml"), yaml);
        assertEquals(1, Main.run(new String[] {"models", "check", broken.toString()}));
        assertTrue(err.toString().contains("graphs.decoder.file: decoder.onnx missing"), err.toString());
        assertFalse(err.toString().contains("model.onnx"), err.toString());

        Files.copy(tiny.resolve("decoder.onnx"), broken.resolve("decoder.onnx"));
        Files.writeString(broken.resolve("tessera-model.yaml"), yaml.replace("point_labels: point_labels", "point_labels: labels"));
        assertEquals(1, Main.run(new String[] {"models", "check", broken.toString()}));
        assertTrue(err.toString().contains("graphs.decoder.inputs.point_labels: 'labels' is not in the decoder graph"), err.toString());
        Files.writeString(broken.resolve("tessera-model.yaml"), yaml);
        assertEquals(0, Main.run(new String[] {"models", "check", broken.toString()}), err.toString());
        assertTrue(out.toString().contains("model package is valid: test-promptable 1.0.0"), out.toString());
    }

    @Test
    void an_unknown_command_or_option_is_a_usage_error_with_exit_code_two() throws Exception {
        assertEquals(2, Main.run(new String[] {"frobnicate"}));
        assertTrue(err.toString().contains("Unmatched argument at index 0: 'frobnicate'"), err.toString());
        assertEquals(2, Main.run(new String[] {}));
        assertEquals(2, Main.run(new String[] {"config"}));
        assertEquals(2, Main.run(new String[] {"config", "check"}));
        assertEquals(2, Main.run(new String[] {"models", "check"}));
        assertEquals(2, Main.run(new String[] {"routes", "test", "--config", "x.yaml"}));
        assertEquals(2, Main.run(new String[] {"serve", "--dicom.port", "11113"}), "an override needs its '='");
    }

    @Test
    void every_command_has_help() throws Exception {
        for (String[] cmd : new String[][] {{}, {"serve"}, {"config"}, {"config", "check"}, {"models"}, {"models", "list"},
                {"models", "check"}, {"routes"}, {"routes", "test"}, {"replay"}}) {
            out.reset();
            String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
            args[cmd.length] = "--help";
            assertEquals(0, Main.run(args), String.join(" ", args) + ": " + err);
            assertTrue(out.toString().startsWith("Usage: tessera" + (cmd.length == 0 ? "" : " " + String.join(" ", cmd))),
                    out.toString());
        }
        assertTrue(out.toString().contains("--config=FILE"), out.toString());
        out.reset();
        assertEquals(0, Main.run(new String[] {"--help"}));
        assertTrue(out.toString().contains("2   usage error"), out.toString());
    }

    @Test
    void key_value_overrides_follow_the_file_in_either_form_of_config() throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, Files.readString(Path.of("../config/examples/tessera.yaml")) + "models: { dirs: [../models] }\n");
        assertEquals(1, Main.run(new String[] {"config", "check", f.toString(), "--dicom.port=99999"}));
        assertTrue(err.toString().contains("dicom.port: must be less than or equal to 65535"), err.toString());
        err.reset();
        assertEquals(1, Main.run(new String[] {"config", "check", "--config=" + f, "--dicom.port=99999"}));
        assertTrue(err.toString().contains("dicom.port: must be less than or equal to 65535"), err.toString());
        assertEquals(0, Main.run(new String[] {"config", "check", "--config", f.toString(), "--dicom.port=11113"}), err.toString());
        assertEquals(1, Main.run(new String[] {"config", "check", dir.resolve("missing.yaml").toString()}));
    }

    @Test
    void serve_takes_the_file_and_overrides_as_the_readme_shows_and_refuses_an_invalid_result_before_starting() throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, Files.readString(Path.of("../config/examples/tessera.yaml")) + "models: { dirs: [../models] }\n");
        assertEquals(1, Main.run(new String[] {"serve", "--config", f.toString(), "--dicom.port=99999"}));
        assertTrue(err.toString().contains("dicom.port: must be less than or equal to 65535"), err.toString());
    }

    @Test
    void routes_test_explains_which_rules_fire_for_a_study_on_disk_and_why() throws Exception {
        io.tessera.testkit.PhantomStudy.write(new io.tessera.testkit.phantom.PhantomSpec(5, 32, 32, 8, 12.0, 12.0, 0, 12.0, 1),
                dir.resolve("study"));
        Path f = dir.resolve("rules.yaml");
        Files.writeString(f, """
                models: { dirs: [../models] }
                destinations: [ { name: results, type: folder, path: %s } ]
                routes:
                  - { name: mr-only, match: { modality: MR }, models: [ct-phantom-organs], destinations: [results] }
                  - { name: ct-organs, priority: 5, match: { modality: CT, attributes: { ImageType: { contains: AXIAL } } },
                      models: [ct-phantom-organs], destinations: [results] }
                """.formatted(dir.resolve("out")));
        assertEquals(0, Main.run(new String[] {"routes", "test", "--config", f.toString(), dir.resolve("study").toString()}),
                err.toString());
        String o = out.toString();
        assertTrue(o.contains("MATCHES  ct-organs"), o);
        assertTrue(o.contains("held: ImageType contains AXIAL"), o);
        assertTrue(o.contains("no       mr-only  — failed: modality = MR (series: CT)"), o);
        assertTrue(o.contains("1 job(s) would run"), o);
        assertTrue(o.indexOf("ct-organs") < o.indexOf("mr-only"), "priority order: " + o);
    }

    @Test
    void routes_test_runs_a_classifier_on_a_single_radiograph_as_the_server_would() throws Exception {
        io.tessera.testkit.RadiographStudy.write(io.tessera.testkit.phantom.PhantomSpec.small(940_101),
                io.tessera.dicomio.RadiographSpec.Kind.DX, true, dir.resolve("cxr"));
        Path f = dir.resolve("cxr.yaml");
        Files.writeString(f, "models: { dirs: [../models] }\n"
                + "destinations: [ { name: out, type: folder, path: " + dir.resolve("out") + " } ]\n"
                + "routes:\n  - { name: chest-xray, match: { modality: DX }, models: [cxr-phantom-findings], destinations: [out] }\n");
        assertEquals(0, Main.run(new String[] {"routes", "test", "--config", f.toString(), dir.resolve("cxr").toString()}),
                err.toString());
        String o = out.toString();
        assertTrue(o.contains("MATCHES  chest-xray"), o);
        assertTrue(o.contains("1 job(s) would run") && o.contains("model cxr-phantom-findings"), "a single frame is no reason to "
                + "skip a classifier: " + o);
    }

    @Test
    void routes_test_plans_a_two_sequence_model_as_the_server_would() throws Exception {
        io.tessera.testkit.TwoSequenceMrStudy.write(73, dir.resolve("mr-both"), true);
        io.tessera.testkit.TwoSequenceMrStudy.write(74, dir.resolve("mr-t1"), false);
        Path f = dir.resolve("mr.yaml");
        Files.writeString(f, "models: { dirs: [../models] }\n"
                + "destinations: [ { name: out, type: folder, path: " + dir.resolve("out") + " } ]\n"
                + "routes:\n  - { name: mr-lesions, match: { modality: MR, seriesDescription: '(?i)t1' }, models: [mr-phantom-two-sequence],"
                + " destinations: [out] }\n");
        assertEquals(0, Main.run(new String[] {"routes", "test", "--config", f.toString(), dir.resolve("mr-both").toString()}),
                err.toString());
        assertTrue(out.toString().contains("1 job(s) would run"), out.toString());
        out.reset();
        Main.run(new String[] {"routes", "test", "--config", f.toString(), dir.resolve("mr-t1").toString()});
        String o = out.toString();
        assertTrue(o.contains("0 job(s) would run") && o.contains("also needs a 'flair' series"), o);
    }

    @Test
    void routes_test_says_why_a_rule_with_models_skips_the_scout_and_the_dose_screen_of_a_real_ct_study() throws Exception {
        io.tessera.testkit.ScannerStudy.of(new io.tessera.testkit.phantom.PhantomSpec(6, 32, 32, 16, 12.0, 6.0, 0, 12.0, 1))
                .write(dir.resolve("scanner"));
        Path f = dir.resolve("rules.yaml");
        Files.writeString(f, """
                models: { dirs: [../models] }
                destinations: [ { name: results, type: folder, path: %s } ]
                routes:
                  - { name: ct-organs, match: { modality: CT }, models: [ct-phantom-organs], destinations: [results] }
                """.formatted(dir.resolve("out")));
        assertEquals(0, Main.run(new String[] {"routes", "test", "--config", f.toString(), dir.resolve("scanner").toString()}),
                err.toString());
        String o = out.toString();
        assertTrue(o.contains("SKIPS    ct-organs"), o);
        assertTrue(o.contains("2 job(s) would run"), o);
        assertTrue(o.contains("2 series skipped:"), o);
        assertTrue(o.contains("  series 501 'Dose Report': Secondary Capture (dose screen) — not segmented by route 'ct-organs';"
                + " set routes[0].match.includeSecondaryCaptures: true to include"), o);
        assertTrue(o.contains("  series 1 'Topogram 0.6 T20f': localizer/scout"), o);
    }
}
