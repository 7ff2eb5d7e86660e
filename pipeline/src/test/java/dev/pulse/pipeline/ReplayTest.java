package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

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
        Map<String, ExpectedMetrics.Row> actual = ExpectedMetrics.parse(out.toString());
        assertThat(summary.rows()).isEqualTo(actual.size());
        ExpectedMetrics.assertSameRows(expected, actual);
    }
}
