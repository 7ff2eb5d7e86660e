package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.TableLayout;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
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
    private static final ObjectMapper JSON = new ObjectMapper();
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
                StreamingEngines.await(a.name() + " final rows", () -> finalRows(jdbc, a).size() == expected.size());
                assertThat(finalRows(jdbc, a)).as(a.name()).containsExactlyInAnyOrderElementsOf(expected);
            }
        } finally {
            job.cancel().get();
        }
    }

    /** The final rows of an analysis's table, in the replay's JSON shape. */
    private static Set<JsonNode> finalRows(String jdbc, AnalysisPlan a) throws Exception {
        TableLayout layout = TableLayout.of(a);
        Set<JsonNode> rows = new HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
            try (ResultSet exists = s.executeQuery("SELECT to_regclass('" + layout.qualifiedName().replace("'", "''") + "') IS NOT NULL")) {
                if (!exists.next() || !exists.getBoolean(1)) {
                    return rows;
                }
            }
            try (ResultSet r = s.executeQuery("SELECT * FROM " + layout.qualifiedName() + " WHERE " + TableLayout.quote(TableLayout.FINAL))) {
                while (r.next()) {
                    ObjectNode n = JSON.createObjectNode();
                    n.put("kind", a.kind().name());
                    n.put("namespace", a.namespace());
                    n.put("name", a.name());
                    Instant start = r.getTimestamp(TableLayout.WINDOW_START).toInstant();
                    ObjectNode dims = JSON.createObjectNode();
                    for (int i = 0; i < a.dimensions().size(); i++) {
                        dims.put(a.dimensions().get(i), TableLayout.dimensionValue(r.getString(layout.dimensionColumns().get(i))));
                    }
                    if (a.funnel() != null) {
                        n.put("windowStart", start.toString());
                        n.put("windowEnd", r.getTimestamp(TableLayout.WINDOW_END).toInstant().toString());
                        n.set("dimensions", dims);
                        ArrayNode steps = n.putArray("steps");
                        Long[] counts = (Long[]) r.getArray("step_counts").getArray();
                        for (int k = 0; k < counts.length; k++) {
                            steps.addObject().put("name", a.funnel().steps().get(k).name()).put("count", counts[k]);
                        }
                    } else {
                        n.put("cohortStart", start.toString());
                        n.set("dimensions", dims);
                        n.put("cohortSize", r.getLong("cohort_size"));
                        ArrayNode retained = n.putArray("retained");
                        Array values = r.getArray("retained");
                        Boolean[] complete = (Boolean[]) r.getArray("complete").getArray();
                        Long[] counts = (Long[]) values.getArray();
                        for (int k = 0; k < counts.length; k++) {
                            if (complete[k]) {
                                retained.add(counts[k]);
                            } else {
                                retained.addNull();
                            }
                        }
                    }
                    rows.add(JSON.readTree(n.toString()));
                }
            }
        }
        return rows;
    }
}
