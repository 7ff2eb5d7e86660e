package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.ShopEvents.ShopEvent;
import dev.pulse.pipeline.replay.Replay;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spec.limits.maxGroups} in a replay: the first combinations in input order keep their rows (docs/semantics.md, "Cardinality"). */
class GroupLimitReplayTest {

    @TempDir
    Path dir;

    @Test
    void theFirstCombinationsInInputOrderKeepTheirRowsAndTheRestCountUnderOther() throws Exception {
        PipelinePlan plan = TestPlans.compile(CappedGroups.definitions("shop-events"));
        // about 100 purchases a minute over 6 minutes, up to 20 s out of time order; two files
        List<ShopEvent> events = CappedGroups.generate(5, 800, 450, 20_000);
        Path a = Files.write(dir.resolve("a.jsonl"), events.subList(0, 500).stream().map(ShopEvent::json).toList());
        Path b = Files.write(dir.resolve("b.jsonl"), events.subList(500, events.size()).stream().map(ShopEvent::json).toList());

        StringWriter out = new StringWriter();
        Replay.run(List.of(plan), List.of(a, b), out, new PrintStream(PrintStream.nullOutputStream()));
        Map<String, ExpectedMetrics.Row> actual = ExpectedMetrics.parse(out.toString());

        Map<String, ExpectedMetrics.Row> expected = CappedGroups.expected(events);
        // the test means something: windows with many more combinations than the limit
        assertThat(expected.values().stream().filter(r -> CappedGroups.OTHER.equals(r.dims().get(0))).count()).isGreaterThanOrEqualTo(10);
        ExpectedMetrics.assertSameRows(expected, actual);
        CappedGroups.assertInvariants(actual, events);
    }

    @Test
    void theSameEventsInAnotherFileOrderGiveTheRowsOfThatOrder() throws Exception {
        PipelinePlan plan = TestPlans.compile(CappedGroups.definitions("shop-events"));
        List<ShopEvent> events = CappedGroups.generate(9, 600, 450, 20_000);
        List<ShopEvent> first = events.subList(300, events.size());
        List<ShopEvent> second = events.subList(0, 300);
        Path a = Files.write(dir.resolve("late-half.jsonl"), first.stream().map(ShopEvent::json).toList());
        Path b = Files.write(dir.resolve("early-half.jsonl"), second.stream().map(ShopEvent::json).toList());

        StringWriter out = new StringWriter();
        Replay.run(List.of(plan), List.of(a, b), out, new PrintStream(PrintStream.nullOutputStream()));

        List<ShopEvent> inputOrder = new java.util.ArrayList<>(first);
        inputOrder.addAll(second);
        ExpectedMetrics.assertSameRows(CappedGroups.expected(inputOrder), ExpectedMetrics.parse(out.toString()));
    }
}
