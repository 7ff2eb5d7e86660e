package dev.pulse.pipeline;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.ShopEvents.ShopEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Shop events (the metrics' traffic, {@link ShopEvents}) and funnel traffic (the funnels' and
 * retentions', {@link FunnelRetentionTraffic}) on one topic, for tests that run every kind in one
 * job, with the definitions and the independent expectations of both.
 */
final class MixedTraffic {
    private MixedTraffic() {
    }

    /** One record of the test traffic: its event time, its JSON, and the event it was made from (one of the two). */
    record Line(long time, String json, ShopEvent shop, FunnelRetentionTraffic.Ev ev) {
    }

    /**
     * Shop events and funnel traffic over the same seven and a half hours, in event-time order.
     * Neither kind matches the other's analyses.
     */
    static List<Line> traffic(long seed) {
        List<Line> lines = new ArrayList<>();
        for (ShopEvent e : ShopEvents.generate(seed, 900, 30_000, 4000)) {
            lines.add(new Line(e.ts(), e.json(), e, null));
        }
        for (FunnelRetentionTraffic.Ev e : FunnelRetentionTraffic.traffic(new Random(seed), 60)) {
            lines.add(new Line(e.time(), FunnelRetentionTraffic.json(e), null, e));
        }
        lines.sort(Comparator.comparingLong(Line::time));
        return lines;
    }

    static List<String> json(List<Line> lines) {
        return lines.stream().map(Line::json).toList();
    }

    static List<ShopEvent> shop(List<Line> lines) {
        return lines.stream().map(Line::shop).filter(Objects::nonNull).toList();
    }

    static List<FunnelRetentionTraffic.Ev> funnelTraffic(List<Line> lines) {
        return lines.stream().map(Line::ev).filter(Objects::nonNull).toList();
    }

    /** The test stream with the named metrics of {@link ShopEvents#DEFINITIONS} and other documents, over the topic. */
    static String definitions(String topic, List<String> metrics, String... others) {
        StringBuilder yaml = new StringBuilder();
        for (String doc : ShopEvents.DEFINITIONS.split("(?m)^---\n")) {
            if (doc.contains("kind: EventStream") || metrics.stream().anyMatch(m -> doc.contains("metadata: {name: " + m + "}"))) {
                yaml.append("---\n").append(doc);
            }
        }
        for (String other : others) {
            yaml.append(other);
        }
        return yaml.toString().replace("topic: shop-events,", "topic: " + topic + ",");
    }

    /** The expected rows of the plan's metrics. */
    static Map<String, ExpectedMetrics.Row> expectedMetrics(PipelinePlan plan, List<ShopEvent> events,
            Map<String, List<String>> dimensions) {
        Set<String> names = plan.analyses().stream().filter(a -> a.metric() != null).map(AnalysisPlan::name).collect(Collectors.toSet());
        return ExpectedMetrics.compute(events, dimensions).entrySet().stream().filter(e -> names.contains(e.getValue().name()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
