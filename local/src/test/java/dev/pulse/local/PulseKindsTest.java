package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The LAG and FRESHNESS columns of {@code pulse get}: stale figures say so, with their age. */
class PulseKindsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:05:00Z");

    private static GenericKubernetesResource withStatus(Map<String, Object> status) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setAdditionalProperty("status", status);
        return r;
    }

    @Test
    void currentFiguresShowPlain() {
        GenericKubernetesResource r = withStatus(Map.of(
                "lag", Map.of("records", 12, "seconds", 3, "asOf", "2026-03-01T10:04:50Z"),
                "freshness", Map.of("secondsBehind", 95, "asOf", "2026-03-01T10:04:50Z")));
        assertThat(PulseKinds.lag(r, NOW)).isEqualTo("12 rec/3s");
        assertThat(PulseKinds.freshness(r, NOW)).isEqualTo("95s");
    }

    @Test
    void staleFiguresShowTheirAge() {
        Map<String, Object> status = new HashMap<>();
        // 3 minutes before NOW
        status.put("lag", Map.of("records", 12, "seconds", 3, "asOf", "2026-03-01T10:02:00Z", "stale", true));
        // 40 seconds before NOW
        status.put("freshness", Map.of("secondsBehind", 95, "asOf", "2026-03-01T10:04:20Z", "stale", true));
        GenericKubernetesResource r = withStatus(status);
        assertThat(PulseKinds.lag(r, NOW)).isEqualTo("12 rec/3s (stale 3m)");
        assertThat(PulseKinds.freshness(r, NOW)).isEqualTo("95s (stale 40s)");
    }

    @Test
    void aStaleFigureWithoutAsOfSaysItsAgeIsUnknown() {
        GenericKubernetesResource r = withStatus(Map.of("freshness", Map.of("secondsBehind", 95, "stale", true)));
        assertThat(PulseKinds.freshness(r, NOW)).isEqualTo("95s (stale ?)");
    }
}
