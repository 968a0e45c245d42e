package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.CompletionConfig;
import io.tessera.config.MatchConfig;
import io.tessera.config.RouteConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuietPeriodsTest {
    private static RouteConfig route(String callingAe, Duration quiet) {
        return new RouteConfig("r", new MatchConfig("CT", null, null, callingAe, null), List.of("m"), List.of("d"), quiet);
    }

    private static CompletionConfig completion(Map<String, Duration> perAe) {
        return new CompletionConfig(Duration.ofSeconds(10), perAe, false, List.of(), Duration.ZERO);
    }

    @Test
    void a_per_calling_ae_value_wins_over_routes_and_the_global_period() {
        QuietPeriods q = new QuietPeriods(completion(Map.of("CT_SCANNER_1", Duration.ofSeconds(5))),
                List.of(route(null, Duration.ofSeconds(60))));
        assertEquals(Duration.ofSeconds(5), q.apply("CT_SCANNER_1"));
        assertEquals(Duration.ofSeconds(5), q.apply("CT_SCANNER_1 "), "trailing padding of the AE title is not significant");
    }

    @Test
    void the_largest_quiet_period_of_the_routes_that_can_take_the_ae_applies() {
        QuietPeriods q = new QuietPeriods(completion(Map.of()), List.of(
                route("PACS", Duration.ofSeconds(30)), route(null, Duration.ofSeconds(20)), route("MR1", Duration.ofSeconds(90)),
                route("PACS", null)));
        assertEquals(Duration.ofSeconds(30), q.apply("PACS"));
        assertEquals(Duration.ofSeconds(30), q.apply("pacs"), "compared like the routing rules: case-insensitively");
        assertEquals(Duration.ofSeconds(90), q.apply("MR1"));
        assertEquals(Duration.ofSeconds(20), q.apply("OTHER"), "only the route without a calling AE takes it");
        assertEquals(Duration.ofSeconds(20), q.apply(null));
    }

    @Test
    void the_global_period_applies_when_no_route_that_takes_the_ae_sets_one() {
        QuietPeriods q = new QuietPeriods(completion(Map.of()), List.of(route("PACS", Duration.ofSeconds(30)), route(null, null)));
        assertEquals(Duration.ofSeconds(10), q.apply("CT1"));
        assertEquals(Duration.ofSeconds(10), new QuietPeriods(completion(Map.of()), List.of()).apply("PACS"));
    }
}
