package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.replay.Replay;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec.limits.maxGroups: 2} on funnels (both counting modes) and retentions by platform (3
 * values): in a replay, each reporting window or cohort period keeps the first two platforms in
 * input order, the rest count under {@code __other__}; every row equals the brute force of
 * {@link FunnelRetentionTraffic} with the same cap.
 */
class GroupLimitFunnelRetentionReplayTest {
    private static final String LIMIT = "  limits: {maxGroups: 2}\n";
    private static final String DEFINITIONS = FunnelRetentionTraffic.DEFINITIONS.substring(0, FunnelRetentionTraffic.DEFINITIONS.indexOf("---"))
            + FunnelRetentionTraffic.funnel("f-ordered", "ordered", "uniques", true) + LIMIT
            + FunnelRetentionTraffic.funnel("f-unordered-totals", "unordered", "totals", true) + LIMIT
            + FunnelRetentionTraffic.retention("r-bounded", "bounded") + LIMIT
            + FunnelRetentionTraffic.retention("r-unbounded", "unbounded") + LIMIT;

    @Test
    void everyRowEqualsTheCappedBruteForce(@TempDir Path dir) throws Exception {
        List<FunnelRetentionTraffic.Ev> events = FunnelRetentionTraffic.traffic(new Random(77), 250);
        Path file = dir.resolve("events.jsonl");
        Files.write(file, events.stream().map(FunnelRetentionTraffic::json).toList());
        PipelinePlan plan = TestPlans.compile(DEFINITIONS);
        StringWriter out = new StringWriter();
        Replay.run(List.of(plan), List.of(file), out, new PrintStream(PrintStream.nullOutputStream()));
        Map<String, Set<JsonNode>> actual = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            JsonNode row = FunnelRetentionTraffic.JSON.readTree(line);
            actual.computeIfAbsent(row.path("name").asText(), k -> new HashSet<>()).add(row);
        }
        long last = events.stream().mapToLong(FunnelRetentionTraffic.Ev::time).max().orElseThrow();
        for (AnalysisPlan a : plan.analyses()) {
            assertThat(a.groupLimit()).isEqualTo(2);
            Set<JsonNode> expected = a.funnel() != null
                    ? FunnelRetentionTraffic.expectedFunnel(a, events, 2)
                    : FunnelRetentionTraffic.expectedRetention(a, events, last, 2);
            // the test means something: several windows over the limit
            assertThat(expected.stream().filter(r -> FunnelRetentionTraffic.OTHER.equals(r.path("dimensions").path("platform").asText())))
                    .as(a.name()).hasSizeGreaterThanOrEqualTo(3);
            assertThat(actual.get(a.name())).as(a.name()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
