package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.groups.GroupLimit;
import dev.pulse.pipeline.metric.DimensionKey;
import dev.pulse.pipeline.metric.MetricGroups;
import dev.pulse.pipeline.metric.Observation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The group limit of a Metric (maxGroups 3, tumbling 1m, allowedLateness 10s) on Flink's operator
 * harness: which combination each observation leaves with, the {@code cappedRecords} counter,
 * that a period's admitted combinations go when the period closes, and that a restore keeps them.
 */
class GroupLimitTest {
    private static final long T0 = ShopEvents.T0;
    private static final String OTHER = DimensionKey.encode(new String[] {"__other__", "__other__"});

    @Test
    void theFirstThreeCombinationsOfAPeriodPassAndTheRestGoToOtherUntilThePeriodCloses() throws Exception {
        AnalysisPlan plan = TestPlans.compile(CappedGroups.definitions("shop-events")).analysis(AnalysisKind.Metric, "orders-capped").orElseThrow();
        Map<String, Counter> counters = new HashMap<>();
        TestingMetricRegistry registry = TestingMetricRegistry.builder().setRegisterConsumer((metric, name, group) -> {
            if (metric instanceof Counter c) {
                counters.put(group.getLogicalScope(s -> s, '.') + "." + name, c);
            }
        }).build();
        MockEnvironment environment = new MockEnvironmentBuilder().setMetricGroup(TaskManagerMetricGroup
                .createTaskManagerMetricGroup(registry, "host", ResourceID.generate()).addJob(new JobID(), "job")
                .addTask(ExecutionAttemptID.randomId(), "task")).build();
        MetricGroups groups = new MetricGroups(plan);
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new GroupLimit<>(plan, groups)),
                groups::period, Types.LONG, environment)) {
            harness.open();
            String[] keys = {"a", "b", "a", "c", "d", "b", "e", "d"};
            for (int i = 0; i < keys.length; i++) {
                harness.processElement(new StreamRecord<>(observation(keys[i], T0 + i * 1000), T0 + i * 1000));
            }
            // the next minute is a period of its own
            harness.processElement(new StreamRecord<>(observation("e", T0 + 61_000), T0 + 61_000));
            assertThat(keysOut(harness)).containsExactly(key("a"), key("b"), key("a"), key("c"), OTHER, key("b"), OTHER, OTHER, key("e"));
            Counter capped = counters.entrySet().stream().filter(e -> e.getKey().endsWith(".cappedRecords")).map(Map.Entry::getValue)
                    .findFirst().orElseThrow();
            assertThat(capped.getCount()).isEqualTo(3);

            // the first minute closes at its end - 1 ms + 10 s: its combinations go, and a record of it that still
            // arrives passes as it is (the windows find it late); a record of the second minute is still decided there
            harness.processWatermark(new Watermark(T0 + 60_000 - 1 + 10_000));
            harness.getOutput().clear();
            harness.processElement(new StreamRecord<>(observation("z", T0 + 5_000), T0 + 5_000));
            harness.processElement(new StreamRecord<>(observation("f", T0 + 62_000), T0 + 62_000));
            assertThat(keysOut(harness)).containsExactly(key("z"), key("f"));
            assertThat(harness.numKeyedStateEntries()).as("only the second minute keeps state: its admitted set and its count").isEqualTo(2);
            assertThat(capped.getCount()).isEqualTo(3);
        }
    }

    @Test
    void aRestoredLimitKeepsTheCombinationsItHadAdmitted() throws Exception {
        AnalysisPlan plan = TestPlans.compile(CappedGroups.definitions("shop-events")).analysis(AnalysisKind.Metric, "orders-capped").orElseThrow();
        MetricGroups groups = new MetricGroups(plan);
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var before = harness(plan, groups)) {
            before.open();
            for (String k : new String[] {"c", "a", "b"}) {
                before.processElement(new StreamRecord<>(observation(k, T0 + 1000), T0 + 1000));
            }
            snapshot = before.snapshot(1, 1);
        }
        try (var after = harness(plan, groups)) {
            after.initializeState(snapshot);
            after.open();
            for (String k : new String[] {"d", "b", "c", "e", "a"}) {
                after.processElement(new StreamRecord<>(observation(k, T0 + 2000), T0 + 2000));
            }
            assertThat(keysOut(after)).containsExactly(OTHER, key("b"), key("c"), OTHER, key("a"));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, Observation, Observation> harness(AnalysisPlan plan, MetricGroups groups)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new GroupLimit<>(plan, groups)), groups::period, Types.LONG);
    }

    private static String key(String platform) {
        return DimensionKey.encode(new String[] {platform, "US"});
    }

    private static Observation observation(String platform, long time) {
        Observation o = new Observation();
        o.key = key(platform);
        o.time = time;
        return o;
    }

    private static List<String> keysOut(KeyedOneInputStreamOperatorTestHarness<Long, Observation, Observation> harness) {
        List<String> keys = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                keys.add(((Observation) r.getValue()).key);
            }
        }
        return keys;
    }
}
