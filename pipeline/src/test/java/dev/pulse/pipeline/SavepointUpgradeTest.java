package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pulse.pipeline.ShopEvents.ShopEvent;
import dev.pulse.testsupport.Checkout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
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
    /** A FlinkDeployment as the operator renders it (RenderedResourcesTest keeps it current). */
    static final Path RENDERED = Path.of("operator/src/test/resources/golden/out-shop.yaml");
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

        StreamExecutionEnvironment first = environment(null);
        PipelineJob.define(first, before, ENGINES.settings(jdbc, null));
        JobClient job = first.executeAsync("before the change");
        StreamingEngines.await("rows of the first half", () -> ServingRows.read(jdbc, before).size() > 50);
        String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();

        ENGINES.produce(topic, events.subList(1500, events.size()), false);
        ENGINES.heartbeat(topic, ShopEvents.T0 + 3_600_000);
        StreamExecutionEnvironment second = environment(savepoint);
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
                return ServingRows.read(jdbc, after).values().stream()
                        .filter(s -> s.isFinal() && !s.row().name().equals("revenue")).count() == expected.size();
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

    private static StreamExecutionEnvironment environment(String savepoint) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            conf.addAll(restoreSettings(renderedJobs()));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(500);
        return env;
    }

    /**
     * The restore settings the Flink Kubernetes Operator derives from a FlinkDeployment's job
     * spec: {@code spec.job.allowNonRestoredState}, when set, becomes
     * {@code execution.savepoint.ignore-unclaimed-state}; unset, Flink's default (false) holds.
     */
    static Configuration restoreSettings(List<JsonNode> jobs) {
        Configuration conf = new Configuration();
        for (JsonNode job : jobs) {
            JsonNode allow = job.path("allowNonRestoredState");
            assertThat(allow.isMissingNode() || allow.isBoolean()).as("spec.job.allowNonRestoredState is a boolean: %s", allow).isTrue();
            if (allow.isBoolean()) {
                conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, allow.booleanValue());
            }
        }
        return conf;
    }

    /** spec.job of every FlinkDeployment in the rendered golden file; every one must agree. */
    static List<JsonNode> renderedJobs() {
        Path file = Checkout.root().resolve(RENDERED);
        List<JsonNode> jobs = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var docs = yaml.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && "FlinkDeployment".equals(doc.path("kind").asText())) {
                    jobs.add(doc.path("spec").path("job"));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read the rendered FlinkDeployments in " + file, e);
        }
        assertThat(jobs).as("FlinkDeployments in %s", file).isNotEmpty();
        assertThat(jobs.stream().map(j -> j.path("allowNonRestoredState").toString()).distinct())
                .as("every rendered pipeline restores alike").hasSize(1);
        return jobs;
    }
}
