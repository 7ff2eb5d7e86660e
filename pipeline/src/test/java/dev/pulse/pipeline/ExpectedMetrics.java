package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.pipeline.ShopEvents.ShopEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A second, deliberately plain implementation of the test stream's metrics
 * ({@link ShopEvents#DEFINITIONS}): loop over the events, list each window's members, compute.
 * Shares no code with the pipeline.
 */
final class ExpectedMetrics {
    private static final long MINUTE = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A result row; {@code dims} holds null for a missing value. */
    record Row(String name, long start, long end, List<String> dims, Double value, Long numerator, Long denominator) {
        String key() {
            return name + "|" + start + "|" + end + "|" + dims;
        }
    }

    private record Spec(String name, Predicate<ShopEvent> filter, String aggregation, List<Function<ShopEvent, String>> dims,
            String window, long size, long every, Predicate<ShopEvent> numerator, Predicate<ShopEvent> denominator) {
        Spec withDimensions(List<Function<ShopEvent, String>> d) {
            return new Spec(name, filter, aggregation, d, window, size, every, numerator, denominator);
        }
    }

    /** A field of the test stream as a dimension value. */
    private static Function<ShopEvent, String> field(String name) {
        return switch (name) {
            case "platform" -> ShopEvent::platform;
            case "country" -> ShopEvent::country;
            case "premium" -> e -> e.premium() == null ? null : e.premium().toString();
            default -> throw new IllegalArgumentException("no dimension field " + name + " in the test stream");
        };
    }

    private static final List<Spec> SPECS = List.of(
            new Spec("orders-by-platform", type("purchase"), "count", List.of(ShopEvent::platform), "tumbling", MINUTE, 0, null, null),
            new Spec("buyers-by-country", type("purchase"), "countDistinct", List.of(ShopEvent::country), "hopping", 2 * MINUTE, MINUTE, null, null),
            new Spec("revenue", type("purchase").and(e -> !"FR".equals(e.country())), "sum",
                    List.of(ShopEvent::platform, ShopEvent::country), "tumbling", MINUTE, 0, null, null),
            new Spec("basket-avg", e -> (e.quantity() != null && e.quantity() > 1) || "ios".equals(e.platform()), "avg",
                    List.of(), "tumbling", MINUTE, 0, null, null),
            new Spec("amount-min", type("purchase").or(type("checkout_start")), "min", List.of(ShopEvent::platform),
                    "cumulative", 4 * MINUTE, MINUTE, null, null),
            new Spec("amount-max", type("purchase").or(type("checkout_start")), "max", List.of(ShopEvent::platform),
                    "cumulative", 4 * MINUTE, MINUTE, null, null),
            new Spec("checkout-conversion", type("purchase").or(type("checkout_start")), "ratio", List.of(ShopEvent::platform),
                    "tumbling", MINUTE, 0, type("purchase"), type("checkout_start")),
            new Spec("amount-p90", type("purchase"), "p90", List.of(), "tumbling", 2 * MINUTE, 0, null, null),
            new Spec("bulk-views", type("view").and(e -> e.quantity() != null && e.quantity() >= 2), "count",
                    List.of(e -> e.premium() == null ? null : e.premium().toString()), "tumbling", MINUTE, 0, null, null));

    private ExpectedMetrics() {
    }

    static Predicate<ShopEvent> type(String t) {
        return e -> t.equals(e.type());
    }

    /** Every metric's rows over the events, by {@link Row#key()}. */
    static Map<String, Row> compute(Collection<ShopEvent> events) {
        return compute(events, Map.of());
    }

    /**
     * Every metric's rows over the events, some metrics grouped by other dimensions than in
     * {@link ShopEvents#DEFINITIONS}: metric name → its dimension fields, in order.
     */
    static Map<String, Row> compute(Collection<ShopEvent> events, Map<String, List<String>> dimensions) {
        List<Spec> specs = SPECS.stream().map(declared -> dimensions.containsKey(declared.name())
                ? declared.withDimensions(dimensions.get(declared.name()).stream().map(ExpectedMetrics::field).toList())
                : declared).toList();
        return compute(events, specs);
    }

    /**
     * The tumbling metrics recounted from the events over windows of {@code grainMs} (an hour's
     * count is the number of events in the hour, its average the mean of all its values): what
     * their rollups at that grain must hold.
     */
    static Map<String, Row> computeAt(Collection<ShopEvent> events, long grainMs) {
        return compute(events, SPECS.stream().filter(s -> s.window().equals("tumbling")).map(s -> new Spec(s.name(), s.filter(),
                s.aggregation(), s.dims(), s.window(), grainMs, s.every(), s.numerator(), s.denominator())).toList());
    }

    private static Map<String, Row> compute(Collection<ShopEvent> events, List<Spec> specs) {
        Map<String, Row> rows = new TreeMap<>();
        for (Spec spec : specs) {
            Map<String, List<ShopEvent>> members = new TreeMap<>();
            Map<String, long[]> windowOf = new TreeMap<>();
            Map<String, List<String>> dimsOf = new TreeMap<>();
            for (ShopEvent e : events) {
                if (!spec.filter().test(e)) {
                    continue;
                }
                List<String> dims = new ArrayList<>();
                spec.dims().forEach(d -> dims.add(d.apply(e)));
                for (long[] w : windows(spec, e.ts())) {
                    String k = w[0] + "|" + w[1] + "|" + dims;
                    members.computeIfAbsent(k, x -> new ArrayList<>()).add(e);
                    windowOf.put(k, w);
                    dimsOf.put(k, dims);
                }
            }
            members.forEach((k, list) -> {
                Row r = row(spec, windowOf.get(k), dimsOf.get(k), list);
                rows.put(r.key(), r);
            });
        }
        return rows;
    }

    private static List<long[]> windows(Spec spec, long ts) {
        List<long[]> out = new ArrayList<>();
        switch (spec.window()) {
            case "tumbling" -> {
                long start = ts - Math.floorMod(ts, spec.size());
                out.add(new long[] {start, start + spec.size()});
            }
            case "hopping" -> {
                for (long start = ts - Math.floorMod(ts, spec.every()) - spec.size(); start <= ts; start += spec.every()) {
                    if (start <= ts && ts < start + spec.size()) {
                        out.add(new long[] {start, start + spec.size()});
                    }
                }
            }
            default -> {
                long period = ts - Math.floorMod(ts, spec.size());
                for (long end = period + spec.every(); end <= period + spec.size(); end += spec.every()) {
                    if (ts < end) {
                        out.add(new long[] {period, end});
                    }
                }
            }
        }
        return out;
    }

    private static Row row(Spec spec, long[] w, List<String> dims, List<ShopEvent> events) {
        List<Double> amounts = events.stream().map(ShopEvent::amount).filter(Objects::nonNull).sorted().toList();
        Double value;
        Long num = null;
        Long den = null;
        switch (spec.aggregation()) {
            case "count" -> value = (double) events.size();
            case "countDistinct" -> value = (double) new HashSet<>(events.stream().map(ShopEvent::user).filter(Objects::nonNull).toList()).size();
            case "sum" -> value = amounts.isEmpty() ? null : amounts.stream().mapToDouble(Double::doubleValue).sum();
            case "avg" -> {
                value = amounts.isEmpty() ? null : amounts.stream().mapToDouble(Double::doubleValue).average().getAsDouble();
                den = (long) amounts.size(); // stored with the row so the serving store can combine averages
            }
            case "min" -> value = amounts.isEmpty() ? null : amounts.get(0);
            case "max" -> value = amounts.isEmpty() ? null : amounts.get(amounts.size() - 1);
            case "ratio" -> {
                num = events.stream().filter(spec.numerator()).count();
                den = events.stream().filter(spec.denominator()).count();
                value = den == 0 ? null : (double) num / den;
            }
            default -> value = amounts.isEmpty() ? null : amounts.get((int) Math.floor(0.9 * (amounts.size() - 1)));
        }
        return new Row(spec.name(), w[0], w[1], dims, value, num, den);
    }

    /** Whether two values agree: percentiles within the sketch's 1%, sums and averages up to rounding. */
    static boolean agree(String name, Double expected, Double actual) {
        if (expected == null || actual == null) {
            return expected == actual;
        }
        double tolerance = name.equals("amount-p90") ? 0.01 * Math.abs(expected) + 1e-9 : 1e-9 * Math.max(1, Math.abs(expected));
        return Math.abs(expected - actual) <= tolerance;
    }

    /** Rows from replay output lines, checking the exact line shape on the way. */
    static Map<String, Row> parse(String output) throws Exception {
        Map<String, Row> rows = new HashMap<>();
        for (String line : output.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            List<String> fields = new ArrayList<>();
            n.fieldNames().forEachRemaining(fields::add);
            boolean ratio = n.has("numerator");
            assertThat(fields).containsExactlyElementsOf(ratio
                    ? List.of("kind", "namespace", "name", "windowStart", "windowEnd", "dimensions", "value", "numerator", "denominator")
                    : List.of("kind", "namespace", "name", "windowStart", "windowEnd", "dimensions", "value"));
            assertThat(n.get("kind").asText()).isEqualTo("Metric");
            assertThat(n.get("namespace").asText()).isEqualTo("growth");
            assertThat(n.get("windowStart").asText()).endsWith("Z");
            assertThat(n.get("value").isNull() || n.get("value").isDouble()).as(line).isTrue();
            List<String> dims = new ArrayList<>();
            n.get("dimensions").elements().forEachRemaining(d -> dims.add(d.isNull() ? null : d.asText()));
            Row r = new Row(n.get("name").asText(),
                    Instant.parse(n.get("windowStart").asText()).toEpochMilli(), Instant.parse(n.get("windowEnd").asText()).toEpochMilli(),
                    dims, n.get("value").isNull() ? null : n.get("value").asDouble(),
                    ratio ? n.get("numerator").asLong() : null, ratio ? n.get("denominator").asLong() : null);
            assertThat(rows.put(r.key(), r)).as("one row per window and group: " + line).isNull();
        }
        return rows;
    }

    /** The rows are the expected ones: same keys, values that agree, same ratio counts. */
    static void assertSameRows(Map<String, Row> expected, Map<String, Row> actual) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Row e : expected.values()) {
            Row a = actual.get(e.key());
            assertThat(agree(e.name(), e.value(), a.value())).as(e + " vs " + a).isTrue();
            assertThat(a.numerator()).as(e.key()).isEqualTo(e.numerator());
            if (e.numerator() != null || (a.denominator() != null && e.denominator() != null)) {
                // ratios always; an avg's value count where both sides carry it (replay lines do not)
                assertThat(a.denominator()).as(e.key()).isEqualTo(e.denominator());
            }
        }
    }
}
