package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.ShopEvents.ShopEvent;
import dev.pulse.pipeline.replay.Replay;
import dev.pulse.pipeline.replay.ReplaySummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void replayMatchesTheIndependentComputationAndReportsMalformedLines() throws Exception {
        PipelinePlan plan = TestPlans.compile(ShopEvents.DEFINITIONS);
        List<ShopEvent> events = ShopEvents.generate(7, 4000, 90, 20_000);
        // two files; malformed lines at known places in the second
        List<String> first = events.subList(0, 2000).stream().map(ShopEvent::json).toList();
        List<String> second = new ArrayList<>();
        List<Integer> malformedLines = new ArrayList<>();
        for (int i = 2000; i < events.size(); i++) {
            if (i % 300 == 0) {
                second.add(ShopEvents.MALFORMED.get((i / 300) % ShopEvents.MALFORMED.size()));
                malformedLines.add(second.size());
            }
            if (i % 500 == 0) {
                second.add("   ");
            }
            second.add(events.get(i).json());
        }
        Path a = Files.write(dir.resolve("a.jsonl"), first);
        Path b = Files.write(dir.resolve("b.jsonl"), second);

        StringWriter out = new StringWriter();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        ReplaySummary summary;
        try (PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            summary = Replay.run(List.of(plan), List.of(a, b), out, err);
        }
        String err = errBytes.toString(StandardCharsets.UTF_8);

        assertThat(summary.events()).isEqualTo(events.size());
        assertThat(summary.malformed()).isEqualTo(malformedLines.size());
        for (int line : malformedLines) {
            assertThat(err).contains(b + ":" + line + ": ");
        }
        assertThat(err).contains(summary.line());

        Map<String, ExpectedMetrics.Row> expected = ExpectedMetrics.compute(events);
        Map<String, ExpectedMetrics.Row> actual = parse(out.toString());
        assertThat(summary.rows()).isEqualTo(actual.size());
        assertSameRows(expected, actual);
    }

    /** Rows from replay output lines, checking the exact line shape on the way. */
    static Map<String, ExpectedMetrics.Row> parse(String output) throws Exception {
        Map<String, ExpectedMetrics.Row> rows = new HashMap<>();
        for (String line : output.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            List<String> fields = new ArrayList<>();
            n.fieldNames().forEachRemaining(fields::add);
            boolean ratio = n.has("numerator");
            assertThat(fields).containsExactlyElementsOf(ratio
                    ? List.of("kind", "namespace", "name", "windowStart", "windowEnd", "dimensions", "value", "numerator", "denominator")
                    : List.of("kind", "namespace", "name", "windowStart", "windowEnd", "dimensions", "value"));
            assertThat(n.get("kind").asText()).isEqualTo("Metric");
            assertThat(n.get("namespace").asText()).isEqualTo("growth");
            assertThat(n.get("windowStart").asText()).endsWith("Z");
            assertThat(n.get("value").isNull() || n.get("value").isDouble()).as(line).isTrue();
            List<String> dims = new ArrayList<>();
            n.get("dimensions").elements().forEachRemaining(d -> dims.add(d.isNull() ? null : d.asText()));
            ExpectedMetrics.Row r = new ExpectedMetrics.Row(n.get("name").asText(),
                    Instant.parse(n.get("windowStart").asText()).toEpochMilli(), Instant.parse(n.get("windowEnd").asText()).toEpochMilli(),
                    dims, n.get("value").isNull() ? null : n.get("value").asDouble(),
                    ratio ? n.get("numerator").asLong() : null, ratio ? n.get("denominator").asLong() : null);
            assertThat(rows.put(r.key(), r)).as("one row per window and group: " + line).isNull();
        }
        return rows;
    }

    static void assertSameRows(Map<String, ExpectedMetrics.Row> expected, Map<String, ExpectedMetrics.Row> actual) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (ExpectedMetrics.Row e : expected.values()) {
            ExpectedMetrics.Row a = actual.get(e.key());
            assertThat(ExpectedMetrics.agree(e.name(), e.value(), a.value())).as(e + " vs " + a).isTrue();
            assertThat(a.numerator()).as(e.key()).isEqualTo(e.numerator());
            if (e.numerator() != null || (a.denominator() != null && e.denominator() != null)) {
                // ratios always; an avg's value count where both sides carry it (replay lines do not)
                assertThat(a.denominator()).as(e.key()).isEqualTo(e.denominator());
            }
        }
    }
}
