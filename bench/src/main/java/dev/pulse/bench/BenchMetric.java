package dev.pulse.bench;

/**
 * One benchmarked metric: its Pulse definition and the hand-written Flink SQL that computes the
 * same thing (1-minute tumbling windows, the same filter and group).
 *
 * @param spec the Metric's {@code spec} body (YAML, after {@code stream: shop-events})
 * @param dimension the grouped column, or null
 * @param where the SQL filter, or null
 * @param value the SQL aggregate expression
 */
record BenchMetric(String name, String spec, String dimension, String where, String value) {

    /** Case (a). */
    static final BenchMetric ORDERS_BY_PLATFORM = new BenchMetric("orders-by-platform",
            "events: [purchase]\naggregation: {type: count}\ndimensions: [platform]",
            "platform", "event = 'purchase'", "CAST(COUNT(*) AS DOUBLE)");

    /** Case (b): ten metrics on one stream. */
    static final BenchMetric[] TEN = {
        ORDERS_BY_PLATFORM,
        new BenchMetric("events-by-type", "aggregation: {type: count}\ndimensions: [event]",
                "event", null, "CAST(COUNT(*) AS DOUBLE)"),
        new BenchMetric("views-by-country", "events: [view]\naggregation: {type: count}\ndimensions: [country]",
                "country", "event = 'view'", "CAST(COUNT(*) AS DOUBLE)"),
        new BenchMetric("buyers-by-platform", "events: [purchase]\naggregation: {type: countDistinct}\ndimensions: [platform]",
                "platform", "event = 'purchase'", "CAST(COUNT(DISTINCT user_id) AS DOUBLE)"),
        new BenchMetric("visitors-by-country", "aggregation: {type: countDistinct}\ndimensions: [country]",
                "country", null, "CAST(COUNT(DISTINCT user_id) AS DOUBLE)"),
        new BenchMetric("revenue-by-country", "events: [purchase]\naggregation: {type: sum, field: amount}\ndimensions: [country]",
                "country", "event = 'purchase'", "SUM(amount)"),
        new BenchMetric("revenue-by-platform", "events: [purchase]\naggregation: {type: sum, field: amount}\ndimensions: [platform]",
                "platform", "event = 'purchase'", "SUM(amount)"),
        new BenchMetric("basket-avg", "events: [purchase]\naggregation: {type: avg, field: amount}",
                null, "event = 'purchase'", "AVG(amount)"),
        new BenchMetric("amount-min", "events: [purchase]\naggregation: {type: min, field: amount}\ndimensions: [platform]",
                "platform", "event = 'purchase'", "MIN(amount)"),
        new BenchMetric("checkout-conversion",
                "aggregation:\n  type: ratio\n  numerator: {events: [purchase]}\n  denominator: {events: [checkout_start]}\ndimensions: [platform]",
                "platform", "event IN ('purchase', 'checkout_start')",
                "CAST(SUM(CASE WHEN event = 'purchase' THEN 1 ELSE 0 END) AS DOUBLE)"
                        + " / NULLIF(SUM(CASE WHEN event = 'checkout_start' THEN 1 ELSE 0 END), 0)"),
    };

    /** The Metric resource. */
    String yaml() {
        return "apiVersion: pulse.dev/v1alpha1\nkind: Metric\nmetadata: {name: " + name + ", namespace: bench}\nspec:\n  stream: shop-events\n"
                + "  window: {type: tumbling, size: 1m}\n  emitEvery: 5s\n" + spec.indent(2);
    }
}
