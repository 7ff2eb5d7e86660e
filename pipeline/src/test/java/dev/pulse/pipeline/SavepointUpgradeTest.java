package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.ShopEvents.ShopEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changing one Metric and restoring from a savepoint keeps every other Metric's state: their
 * rows over all events are exact although the job was stopped halfway. The restore uses the
 * settings the operator renders (its committed golden FlinkDeployment), not settings of its own.
 */
class SavepointUpgradeTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    static Path savepoints;

    @RegisterExtension
    static final StreamingEngines ENGINES = new StreamingEngines();

    @Test
    void changingOneMetricKeepsTheOthersState() throws Exception {
        String topic = "shop-events-upgrade";
        PipelinePlan before = StreamingEngines.plan(topic);
        PipelinePlan after = TestPlans.compile(ShopEvents.DEFINITIONS.replace("topic: shop-events,", "topic: " + topic + ",")
                .replace("values: [FR]", "values: [FR, DE]"));
        AnalysisPlan revenueBefore = before.analysis(AnalysisKind.Metric, "revenue").orElseThrow();
        AnalysisPlan revenueAfter = after.analysis(AnalysisKind.Metric, "revenue").orElseThrow();
        assertThat(revenueAfter.id()).isNotEqualTo(revenueBefore.id());
        assertThat(after.analysis(AnalysisKind.Metric, "buyers-by-country").orElseThrow().id())
                .isEqualTo(before.analysis(AnalysisKind.Metric, "buyers-by-country").orElseThrow().id());

        String jdbc = ENGINES.database("upgrade");
        ENGINES.createTopic(topic, 2);
        ENGINES.createTopic("growth.orders-by-platform.results", 1);
        List<ShopEvent> events = ShopEvents.generate(31, 3000, 120, 4000);
        ENGINES.produce(topic, events.subList(0, 1500), false);

        StreamExecutionEnvironment first = StreamingEngines.environment(false);
        PipelineJob.define(first, before, ENGINES.settings(jdbc, null));
        JobClient job = first.executeAsync("before the change");
        StreamingEngines.await("rows of the first half", () -> ServingRows.read(jdbc, before).size() > 50);
        String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();

        ENGINES.produce(topic, events.subList(1500, events.size()), false);
        ENGINES.heartbeat(topic, ShopEvents.T0 + 3_600_000);
        StreamExecutionEnvironment second = StreamingEngines.environment(false, savepoint);
        PipelineJob.define(second, after, ENGINES.settings(jdbc, null));
        JobClient restored = second.executeAsync("after the change");
        try {
            Map<String, ExpectedMetrics.Row> expected = ExpectedMetrics.compute(events).entrySet().stream()
                    .filter(e -> !e.getValue().name().equals("revenue"))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            StreamingEngines.await("final rows of the unchanged metrics", () -> {
                // a restore the rendered settings refuse (unclaimed state) fails the job at once
                assertThat(restored.getJobStatus().get().isGloballyTerminalState())
                        .as("the restored job ended: %s", restored.getJobStatus().get()).isFalse();
                var rows = ServingRows.read(jdbc, after).values();
                // the unchanged metrics complete, and the changed one has written (its rows come from another operator)
                return rows.stream().filter(s -> s.isFinal() && !s.row().name().equals("revenue")).count() == expected.size()
                        && rows.stream().anyMatch(s -> s.row().name().equals("revenue"));
            });
            Map<String, ServingRows.Stored> stored = ServingRows.read(jdbc, after);
            Map<String, ExpectedMetrics.Row> unchanged = stored.entrySet().stream()
                    .filter(e -> !e.getValue().row().name().equals("revenue"))
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().row()));
            ExpectedMetrics.assertSameRows(expected, unchanged);
            // the changed metric starts afresh in its own table, with the new filter
            assertThat(stored.values().stream().filter(s -> s.row().name().equals("revenue")))
                    .isNotEmpty()
                    .allMatch(s -> !"DE".equals(s.row().dims().get(1)) && !"FR".equals(s.row().dims().get(1)));
        } finally {
            if (!restored.getJobStatus().get().isGloballyTerminalState()) {
                restored.cancel().get();
            }
        }
    }
}
