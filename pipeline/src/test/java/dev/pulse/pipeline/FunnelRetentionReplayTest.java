package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.replay.Replay;
import java.io.ByteArrayOutputStream;
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
 * Replays funnels in every order and counting mode and retention in both modes over random
 * shop traffic, and compares every row with the brute-force computation of
 * {@link FunnelRetentionTraffic}.
 */
class FunnelRetentionReplayTest {

    @Test
    void everyRowEqualsTheBruteForceWalk(@TempDir Path dir) throws Exception {
        List<FunnelRetentionTraffic.Ev> events = FunnelRetentionTraffic.traffic(new Random(2026), 250);
        Path file = dir.resolve("events.jsonl");
        Files.write(file, events.stream().map(FunnelRetentionTraffic::json).toList());
        PipelinePlan plan = TestPlans.compile(FunnelRetentionTraffic.DEFINITIONS);
        StringWriter out = new StringWriter();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Replay.run(List.of(plan), List.of(file), out, new PrintStream(err, true));
        Map<String, Set<JsonNode>> actual = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            JsonNode row = FunnelRetentionTraffic.JSON.readTree(line);
            actual.computeIfAbsent(row.path("name").asText(), k -> new HashSet<>()).add(row);
        }
        Map<String, Set<JsonNode>> expected = new TreeMap<>();
        for (AnalysisPlan a : plan.analyses()) {
            expected.put(a.name(), a.funnel() != null
                    ? FunnelRetentionTraffic.expectedFunnel(a, events)
                    : FunnelRetentionTraffic.expectedRetention(a, events));
        }
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (String name : expected.keySet()) {
            assertThat(actual.get(name)).as(name).isNotEmpty().containsExactlyInAnyOrderElementsOf(expected.get(name));
        }
    }
}
