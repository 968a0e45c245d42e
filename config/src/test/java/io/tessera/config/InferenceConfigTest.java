package io.tessera.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code inference} section: defaults, every key mapped, overrides and violations. */
class InferenceConfigTest {
    @TempDir Path dir;

    @Test
    void defaults_run_on_the_cpu_with_two_jobs_per_device_and_a_ten_minute_timeout() throws Exception {
        InferenceConfig c = new ConfigLoader().load(null, Map.of(), List.of()).inference();
        assertEquals(List.of("cpu"), c.providers());
        assertEquals(List.of(0, 0, 0, 1, 2), List.of(c.deviceId(), c.intraOpThreads(), c.interOpThreads(), c.maxConcurrentJobs(),
                c.jobsPerDevice()));
        assertEquals(Duration.ofMinutes(10), c.jobTimeout());
        assertEquals("", c.tensorrtCacheDir());
        assertFalse(c.tensorrtFp16());
        assertEquals(Duration.ofSeconds(5), c.stopGrace());
    }

    @Test
    void every_key_maps() throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, """
                inference:
                  providers: [tensorrt, cuda, cpu]
                  deviceId: 1
                  intraOpThreads: 8
                  interOpThreads: 2
                  maxConcurrentJobs: 4
                  jobsPerDevice: 3
                  jobTimeout: 90s
                  tensorrtCacheDir: /var/cache/tessera/trt
                  tensorrtFp16: true
                  stopGrace: 0s
                """);
        InferenceConfig c = new ConfigLoader().load(f, Map.of(), List.of()).inference();
        assertEquals(List.of("tensorrt", "cuda", "cpu"), c.providers());
        assertEquals(List.of(1, 8, 2, 4, 3), List.of(c.deviceId(), c.intraOpThreads(), c.interOpThreads(), c.maxConcurrentJobs(),
                c.jobsPerDevice()));
        assertEquals(Duration.ofSeconds(90), c.jobTimeout());
        assertEquals("/var/cache/tessera/trt", c.tensorrtCacheDir());
        assertTrue(c.tensorrtFp16());
        assertEquals(Duration.ZERO, c.stopGrace());
    }

    @Test
    void a_stop_grace_beyond_ten_minutes_is_a_violation() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader().load(null, Map.of(), List.of("--inference.stopGrace=11m")));
        assertTrue(String.join("\n", e.violations()).contains("inference.stopGrace: must be between 0s and 10m"), e.violations().toString());
    }

    @Test
    void providers_and_timeout_come_from_the_environment_and_the_command_line() throws Exception {
        InferenceConfig c = new ConfigLoader().load(null, Map.of("TESSERA_INFERENCE_PROVIDERS", "cuda,cpu",
                "TESSERA_INFERENCE_JOBTIMEOUT", "2m"), List.of("--inference.tensorrtFp16=true", "--inference.jobsPerDevice=1")).inference();
        assertEquals(List.of("cuda", "cpu"), c.providers());
        assertEquals(Duration.ofMinutes(2), c.jobTimeout());
        assertTrue(c.tensorrtFp16());
        assertEquals(1, c.jobsPerDevice());
    }

    @Test
    void unknown_provider_no_job_slots_and_a_zero_timeout_are_violations() throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, "inference: { providers: [gpu], jobsPerDevice: 0, jobTimeout: 0s, interOpThreads: -1 }\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(f, Map.of(), List.of()));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("inference.providers[0]: must be one of tensorrt, cuda, cpu"), all);
        assertTrue(all.contains("inference.jobsPerDevice: must be greater than or equal to 1"), all);
        assertTrue(all.contains("inference.jobTimeout: must be between 1s and 24h"), all);
        assertTrue(all.contains("inference.interOpThreads: must be greater than or equal to 0"), all);
    }
}
