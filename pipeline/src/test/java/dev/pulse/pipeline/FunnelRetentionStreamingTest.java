package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Funnels and retention streaming from Kafka into PostgreSQL give, once final, exactly the rows
 * of the brute-force walk (and so of the replay, which {@link FunnelRetentionReplayTest} checks
 * against the same walk).
 */
class FunnelRetentionStreamingTest {
    private static final long HOUR = 3_600_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final StreamingEngines ENGINES = new StreamingEngines();

    @Test
    void finalRowsInPostgresEqualTheBruteForceWalk() throws Exception {
        String topic = "shop-events-funnels";
        PipelinePlan plan = TestPlans.compile(FunnelRetentionTraffic.DEFINITIONS.replace("topic: shop-events}", "topic: " + topic + "}"));
        String jdbc = ENGINES.database("funnels");
        ENGINES.createTopic(topic, 2);
        List<FunnelRetentionTraffic.Ev> events = new ArrayList<>(FunnelRetentionTraffic.traffic(new Random(7), 150));
        events.sort(Comparator.comparingLong(FunnelRetentionTraffic.Ev::time));
        try (var producer = ENGINES.producer()) {
            for (int i = 0; i < events.size(); i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, i % 2, null,
                        FunnelRetentionTraffic.json(events.get(i))));
            }
        }
        long end = events.get(events.size() - 1).time() + 24 * HOUR;
        ENGINES.heartbeat(topic, end);

        StreamExecutionEnvironment env = StreamingEngines.environment(false);
        PipelineJob.define(env, plan, ENGINES.settings(jdbc, null));
        JobClient job = env.executeAsync("funnels and retention");
        try {
            for (AnalysisPlan a : plan.analyses()) {
                Set<JsonNode> expected = a.funnel() != null
                        ? FunnelRetentionTraffic.expectedFunnel(a, events)
                        : FunnelRetentionTraffic.expectedRetention(a, events, end);
                StreamingEngines.await(a.name() + " final rows", () -> ServingRows.analysisRows(jdbc, a, true).size() == expected.size());
                assertThat(ServingRows.analysisRows(jdbc, a, true)).as(a.name()).containsExactlyInAnyOrderElementsOf(expected);
            }
        } finally {
            job.cancel().get();
        }
    }
}
