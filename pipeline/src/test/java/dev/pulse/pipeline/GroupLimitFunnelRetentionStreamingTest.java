package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code spec.limits.maxGroups: 2} on a funnel and a retention by platform (3 values), streaming
 * from Kafka into PostgreSQL. Which platforms keep their rows depends on the order the per-actor
 * operator's subtasks send their updates, so the rows are checked against what must hold whatever
 * that order: per window at most two platforms besides {@code __other__}; each platform row equal
 * to the uncapped brute force's row of that platform (an admitted platform keeps all its records);
 * per window, the sums over all rows equal the uncapped sums.
 */
class GroupLimitFunnelRetentionStreamingTest {
    private static final long HOUR = 3_600_000;
    private static final String LIMIT = "  limits: {maxGroups: 2}\n";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final StreamingEngines ENGINES = new StreamingEngines();

    @Test
    void cappedRowsKeepWholePlatformsAndTheTotals() throws Exception {
        String topic = "shop-events-capped-funnels";
        String definitions = FunnelRetentionTraffic.DEFINITIONS.substring(0, FunnelRetentionTraffic.DEFINITIONS.indexOf("---"))
                .replace("topic: shop-events}", "topic: " + topic + "}")
                + FunnelRetentionTraffic.funnel("f-ordered-totals", "ordered", "totals", true) + LIMIT
                + FunnelRetentionTraffic.retention("r-bounded", "bounded") + LIMIT;
        PipelinePlan plan = TestPlans.compile(definitions);
        String jdbc = ENGINES.database("cappedfunnels");
        ENGINES.createTopic(topic, 2);
        List<FunnelRetentionTraffic.Ev> events = new ArrayList<>(FunnelRetentionTraffic.traffic(new Random(8), 150));
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
        JobClient job = env.executeAsync("capped funnels and retention");
        try {
            int cappedWindows = 0;
            for (AnalysisPlan a : plan.analyses()) {
                Set<JsonNode> uncapped = a.funnel() != null
                        ? FunnelRetentionTraffic.expectedFunnel(a, events)
                        : FunnelRetentionTraffic.expectedRetention(a, events, end);
                Map<String, List<JsonNode>> uncappedByWindow = byWindow(uncapped);
                int rows = uncappedByWindow.values().stream().mapToInt(w -> w.size() <= 2 ? w.size() : 3).sum();
                cappedWindows += (int) uncappedByWindow.values().stream().filter(w -> w.size() > 2).count();
                StreamingEngines.await(a.name() + " final rows", () -> ServingRows.analysisRows(jdbc, a, true).size() == rows);
                Map<String, List<JsonNode>> actual = byWindow(ServingRows.analysisRows(jdbc, a, true));
                assertThat(actual.keySet()).as(a.name()).isEqualTo(uncappedByWindow.keySet());
                Set<JsonNode> uncappedRows = new HashSet<>(uncapped);
                actual.forEach((window, list) -> {
                    List<JsonNode> own = list.stream().filter(r -> !FunnelRetentionTraffic.OTHER.equals(platform(r))).toList();
                    assertThat(own).as("%s %s: platforms of their own", a.name(), window).hasSizeLessThanOrEqualTo(2);
                    assertThat(uncappedRows).as("%s %s: a platform row is the uncapped one", a.name(), window).containsAll(own);
                    assertThat(sums(list)).as("%s %s: sums over all rows", a.name(), window).isEqualTo(sums(uncappedByWindow.get(window)));
                });
            }
            assertThat(cappedWindows).as("the test means something: windows over the limit").isGreaterThanOrEqualTo(4);
        } finally {
            job.cancel().get();
        }
    }

    private static String platform(JsonNode row) {
        JsonNode p = row.path("dimensions").path("platform");
        return p.isNull() ? null : p.asText();
    }

    private static Map<String, List<JsonNode>> byWindow(Set<JsonNode> rows) {
        Map<String, List<JsonNode>> out = new TreeMap<>();
        for (JsonNode r : rows) {
            String window = r.has("windowStart") ? r.get("windowStart").asText() : r.get("cohortStart").asText();
            out.computeIfAbsent(window, k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** Step counts (a funnel) or cohort size and retained counts, null for incomplete (a retention), summed over rows. */
    private static Map<String, Long> sums(List<JsonNode> rows) {
        Map<String, Long> sums = new HashMap<>();
        for (JsonNode r : rows) {
            if (r.has("steps")) {
                for (JsonNode s : r.get("steps")) {
                    sums.merge(s.get("name").asText(), s.get("count").asLong(), Long::sum);
                }
            } else {
                sums.merge("cohortSize", r.get("cohortSize").asLong(), Long::sum);
                for (int k = 0; k < r.get("retained").size(); k++) {
                    JsonNode v = r.get("retained").get(k);
                    sums.merge("retained" + (k + 1), v.isNull() ? -1_000_000L : v.asLong(), Long::sum);
                }
            }
        }
        return sums;
    }
}
