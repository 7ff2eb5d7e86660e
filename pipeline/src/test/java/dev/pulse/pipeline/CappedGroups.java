package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.pipeline.ShopEvents.ShopEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Metrics with {@code spec.limits.maxGroups: 3} over two dimensions, events that make many more
 * combinations per window, and the rows computed by brute force: per window, the first three
 * combinations in input order keep their rows, the others count under {@code __other__}.
 */
final class CappedGroups {
    static final int MAX_GROUPS = 3;
    static final long MINUTE = 60_000;
    static final String OTHER = "__other__";

    static String definitions(String topic) {
        return ShopEvents.DEFINITIONS.substring(0, ShopEvents.DEFINITIONS.indexOf("---"))
                .replace("topic: shop-events,", "topic: " + topic + ",") + """
                ---
                apiVersion: pulse.dev/v1alpha1
                kind: Metric
                metadata: {name: orders-capped}
                spec:
                  stream: shop-events
                  events: [purchase]
                  aggregation: {type: count}
                  dimensions: [platform, country]
                  window: {type: tumbling, size: 1m}
                  allowedLateness: 10s
                  emitEvery: 1s
                  limits: {maxGroups: 3}
                ---
                apiVersion: pulse.dev/v1alpha1
                kind: Metric
                metadata: {name: revenue-capped}
                spec:
                  stream: shop-events
                  events: [purchase]
                  aggregation: {type: sum, field: amount}
                  dimensions: [platform, country]
                  window: {type: tumbling, size: 1m}
                  allowedLateness: 10s
                  emitEvery: 1s
                  limits: {maxGroups: 3}
                """;
    }

    private CappedGroups() {
    }

    /**
     * {@code count} events over about {@code count·spacingMs} from {@link ShopEvents#T0}, each up to
     * {@code jitterMs} before its slot (so input order is not time order), over 5 platforms and 4
     * countries (missing values included): up to 20 combinations a window.
     */
    static List<ShopEvent> generate(long seed, int count, long spacingMs, long jitterMs) {
        Random r = new Random(seed);
        String[] types = {"purchase", "purchase", "purchase", "view"};
        String[] platforms = {"ios", "android", "web", "tv", null};
        String[] countries = {"US", "DE", "FR", null};
        List<ShopEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long ts = Math.max(ShopEvents.T0, ShopEvents.T0 + i * spacingMs - r.nextInt((int) jitterMs));
            Double amount = r.nextInt(8) == 0 ? null : Math.round(r.nextDouble() * 10000) / 100.0;
            events.add(new ShopEvent(types[r.nextInt(types.length)], "u-" + r.nextInt(40), ts, platforms[r.nextInt(platforms.length)],
                    countries[r.nextInt(countries.length)], amount, 1L, false, r.nextBoolean()));
        }
        return events;
    }

    /** The rows of both metrics by brute force over the events in input order, by {@link ExpectedMetrics.Row#key()}. */
    static Map<String, ExpectedMetrics.Row> expected(List<ShopEvent> inputOrder) {
        Map<Long, Set<List<String>>> admitted = new HashMap<>();
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, List<Double>> amounts = new TreeMap<>();
        Map<String, List<String>> dims = new HashMap<>();
        Map<String, Long> starts = new HashMap<>();
        for (ShopEvent e : inputOrder) {
            if (!"purchase".equals(e.type())) {
                continue;
            }
            long start = Math.floorDiv(e.ts(), MINUTE) * MINUTE;
            List<String> combo = Arrays.asList(e.platform(), e.country());
            Set<List<String>> set = admitted.computeIfAbsent(start, s -> new HashSet<>());
            if (!set.contains(combo)) {
                if (set.size() < MAX_GROUPS) {
                    set.add(combo);
                } else {
                    combo = List.of(OTHER, OTHER);
                }
            }
            String k = start + "|" + combo;
            counts.computeIfAbsent(k, x -> new long[1])[0]++;
            List<Double> a = amounts.computeIfAbsent(k, x -> new ArrayList<>());
            if (e.amount() != null) {
                a.add(e.amount());
            }
            dims.put(k, combo);
            starts.put(k, start);
        }
        Map<String, ExpectedMetrics.Row> rows = new HashMap<>();
        counts.forEach((k, c) -> {
            long start = starts.get(k);
            ExpectedMetrics.Row count = new ExpectedMetrics.Row("orders-capped", start, start + MINUTE, dims.get(k), (double) c[0], null, null);
            List<Double> a = amounts.get(k);
            ExpectedMetrics.Row sum = new ExpectedMetrics.Row("revenue-capped", start, start + MINUTE, dims.get(k),
                    a.isEmpty() ? null : a.stream().mapToDouble(Double::doubleValue).sum(), null, null);
            rows.put(count.key(), count);
            rows.put(sum.key(), sum);
        });
        return rows;
    }

    /** Per metric and window start: {events counted, sum of amounts}, over all rows. */
    static Map<String, double[]> totals(Map<String, ExpectedMetrics.Row> rows) {
        Map<String, double[]> totals = new TreeMap<>();
        for (ExpectedMetrics.Row r : rows.values()) {
            double[] t = totals.computeIfAbsent(r.name() + "|" + r.start(), x -> new double[2]);
            t[0]++;
            t[1] += r.value() == null ? 0 : r.value();
        }
        return totals;
    }

    /** The uncapped totals computed straight from the events: per metric and window, the sum of the values. */
    static Map<String, Double> uncappedTotals(List<ShopEvent> events) {
        Map<String, Double> totals = new TreeMap<>();
        for (ShopEvent e : events) {
            if ("purchase".equals(e.type())) {
                long start = Math.floorDiv(e.ts(), MINUTE) * MINUTE;
                totals.merge("orders-capped|" + start, 1.0, Double::sum);
                totals.merge("revenue-capped|" + start, e.amount() == null ? 0 : e.amount(), Double::sum);
            }
        }
        return totals;
    }

    /** The actual rows: per window at most maxGroups combinations besides __other__, and totals equal to the uncapped ones. */
    static void assertInvariants(Map<String, ExpectedMetrics.Row> actual, List<ShopEvent> events) {
        Map<String, Set<List<String>>> combos = new HashMap<>();
        Map<String, Double> sums = new TreeMap<>();
        for (ExpectedMetrics.Row r : actual.values()) {
            String window = r.name() + "|" + r.start();
            if (!r.dims().equals(List.of(OTHER, OTHER))) {
                combos.computeIfAbsent(window, x -> new HashSet<>()).add(r.dims());
            }
            sums.merge(window, r.value() == null ? 0 : r.value(), Double::sum);
        }
        combos.forEach((window, set) -> assertThat(set).as(window).hasSizeLessThanOrEqualTo(MAX_GROUPS));
        Map<String, Double> uncapped = uncappedTotals(events);
        assertThat(sums.keySet()).isEqualTo(uncapped.keySet());
        uncapped.forEach((window, total) -> assertThat(sums.get(window)).as(window).isCloseTo(total, org.assertj.core.data.Offset.offset(1e-6)));
    }
}
