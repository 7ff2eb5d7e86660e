package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.replay.Replay;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replayed metric with zscore detection flags the injected spike, and only it, with the band worked out here. */
class AnomalyReplayTest {
    private static final long HOUR = 3_600_000;

    @Test
    void theSpikeIsTheOnlyAnomalyAndItsBandIsTheMeanPlusMinusKSigmaOfTheLast30Hours(@TempDir Path dir) throws Exception {
        PipelinePlan plan = TestPlans.compile("""
                apiVersion: pulse.dev/v1alpha1
                kind: EventStream
                metadata: {name: shop-events}
                spec:
                  kafka: {topic: shop-events}
                  eventTypeField: event
                  actorField: user_id
                  timestamp: {field: ts, format: epochMillis}
                ---
                apiVersion: pulse.dev/v1alpha1
                kind: Metric
                metadata: {name: views}
                spec:
                  stream: shop-events
                  events: [view]
                  aggregation: {type: count}
                  window: {type: tumbling, size: 1h}
                  anomaly: {algorithm: zscore, deviations: 4, minHistory: 10h}
                """);
        long t0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        Random random = new Random(3);
        int hours = 48;
        int spike = 40;
        long[] counts = new long[hours];
        List<String> lines = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            counts[h] = h == spike ? 400 : 95 + random.nextInt(11);
            for (int i = 0; i < counts[h]; i++) {
                lines.add("{\"event\":\"view\",\"user_id\":\"u" + i + "\",\"ts\":" + (t0 + h * HOUR + random.nextInt((int) HOUR)) + "}");
            }
        }
        Path file = Files.write(dir.resolve("events.jsonl"), lines);
        StringWriter out = new StringWriter();
        Replay.run(List.of(plan), List.of(file), out, new PrintStream(PrintStream.nullOutputStream()));
        List<JsonNode> anomalies = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            JsonNode row = new ObjectMapper().readTree(line);
            if (row.path("kind").asText().equals("Anomaly")) {
                anomalies.add(row);
            }
        }
        double mean = 0;
        for (int h = spike - 30; h < spike; h++) {
            mean += counts[h];
        }
        mean /= 30;
        double variance = 0;
        for (int h = spike - 30; h < spike; h++) {
            variance += (counts[h] - mean) * (counts[h] - mean);
        }
        double expectedMean = mean;
        double sd = Math.sqrt(variance / 30);
        assertThat(anomalies).singleElement().satisfies(a -> {
            assertThat(a.path("name").asText()).isEqualTo("views");
            assertThat(a.path("windowStart").asText()).isEqualTo(Instant.ofEpochMilli(t0 + spike * HOUR).toString());
            assertThat(a.path("observed").asDouble()).isEqualTo(400.0);
            assertThat(a.path("expected").asDouble()).isCloseTo(expectedMean, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(a.path("upper").asDouble()).isCloseTo(expectedMean + 4 * sd, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(a.path("lower").asDouble()).isCloseTo(expectedMean - 4 * sd, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(a.path("dimensions").size()).isZero();
        });
    }
}
