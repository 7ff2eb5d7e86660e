package dev.pulse.pipeline;

import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.ShopEvents.ShopEvent;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code spec.limits.maxGroups} in streaming, Kafka to PostgreSQL at parallelism 2. Every event
 * is in one partition (the other has only the heartbeat that moves the watermark), so arrival
 * order is input order and the rows are exactly the brute force's; the invariants (at most
 * maxGroups combinations besides {@code __other__} per window, totals equal to the uncapped
 * totals) are checked on their own too.
 */
class GroupLimitStreamingTest {
    private static final long HOUR = 3_600_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @RegisterExtension
    static final StreamingEngines ENGINES = new StreamingEngines();

    @Test
    void finalRowsKeepTheFirstCombinationsToArriveAndCountTheRestUnderOther() throws Exception {
        String topic = "shop-events-capped";
        PipelinePlan plan = TestPlans.compile(CappedGroups.definitions(topic));
        String jdbc = ENGINES.database("capped");
        ENGINES.createTopic(topic, StreamingEngines.PARTITIONS);
        ENGINES.createTopic(topic + ".dead", 1);

        // out of time order by up to 4 s: within the stream's maxOutOfOrderness (5 s), none late
        List<ShopEvent> events = CappedGroups.generate(17, 800, 450, 4_000);
        try (KafkaProducer<String, String> p = ENGINES.producer()) {
            for (ShopEvent e : events) {
                p.send(new ProducerRecord<>(topic, 0, null, e.json()));
            }
            for (int partition = 0; partition < StreamingEngines.PARTITIONS; partition++) {
                p.send(new ProducerRecord<>(topic, partition, null, "{\"event\":\"heartbeat\",\"ts\":" + (ShopEvents.T0 + HOUR) + "}"));
            }
        }

        StreamExecutionEnvironment env = StreamingEngines.environment(false);
        PipelineJob.define(env, plan, ENGINES.settings(jdbc, topic + ".dead"));
        JobClient job = env.executeAsync("streaming capped groups");
        try {
            Map<String, ExpectedMetrics.Row> expected = CappedGroups.expected(events);
            StreamingEngines.await("final rows", () -> ServingRows.finalCount(jdbc, plan) == expected.size());
            Map<String, ExpectedMetrics.Row> actual = ServingRows.rowsOf(ServingRows.read(jdbc, plan));
            CappedGroups.assertInvariants(actual, events);
            ExpectedMetrics.assertSameRows(expected, actual);
        } finally {
            job.cancel().get();
        }
    }
}
