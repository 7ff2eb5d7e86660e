package dev.pulse.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic shop events for the tests: the test stream's definitions, and events with missing and null fields. */
final class ShopEvents {
    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    /** How a field is written: with its value, left out, or as JSON null. */
    enum Presence { VALUE, MISSING, NULL }

    /** One event; a null field is missing or JSON null, per {@link #nulls}. */
    record ShopEvent(String type, String user, long ts, String platform, String country, Double amount, Long quantity,
            Boolean premium, boolean nulls) {

        String json() {
            StringBuilder b = new StringBuilder("{");
            b.append("\"ts\":").append(ts);
            field(b, "event", type == null ? null : "\"" + type + "\"");
            field(b, "user_id", user == null ? null : "\"" + user + "\"");
            field(b, "platform", platform == null ? null : "\"" + platform + "\"");
            field(b, "country", country == null ? null : "\"" + country + "\"");
            field(b, "amount", amount == null ? null : amount.toString());
            field(b, "quantity", quantity == null ? null : quantity.toString());
            field(b, "premium", premium == null ? null : premium.toString());
            b.append(",\"extra\":{\"nested\":[1,2,{\"x\":null}]}");
            return b.append('}').toString();
        }

        private void field(StringBuilder b, String name, String json) {
            if (json != null) {
                b.append(",\"").append(name).append("\":").append(json);
            } else if (nulls) {
                b.append(",\"").append(name).append("\":null");
            }
        }
    }

    static final String DEFINITIONS = """
            apiVersion: pulse.dev/v1alpha1
            kind: EventStream
            metadata: {name: shop-events}
            spec:
              kafka: {cluster: test, topic: shop-events, partitions: 2, replicas: 1}
              eventTypeField: event
              actorField: user_id
              timestamp: {field: ts, format: epochMillis}
              watermark: {maxOutOfOrderness: 5s, idleTimeout: 1m}
              fields:
                - {name: platform, type: string}
                - {name: country, type: string}
                - {name: amount, type: double}
                - {name: quantity, type: long}
                - {name: premium, type: boolean}
            ---
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: orders-by-platform}
            spec:
              stream: shop-events
              events: [purchase]
              aggregation: {type: count}
              dimensions: [platform]
              window: {type: tumbling, size: 1m}
              allowedLateness: 10s
              emitEvery: 1s
              outputTopic: true
            ---
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: buyers-by-country}
            spec:
              stream: shop-events
              events: [purchase]
              aggregation: {type: countDistinct}
              dimensions: [country]
              window: {type: hopping, size: 2m, slide: 1m}
              allowedLateness: 5s
              emitEvery: 1s
            ---
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: revenue}
            spec:
              stream: shop-events
              events: [purchase]
              where:
                - {field: country, operator: NotIn, values: [FR]}
              aggregation: {type: sum, field: amount}
              dimensions: [platform, country]
              window: {type: tumbling, size: 1m}
              emitEvery: 1s
            ---
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: basket-avg}
            spec:
              stream: shop-events
              expression: "quantity > 1 || platform == 'ios'"
              aggregation: {type: avg, field: amount}
              window: {type: tumbling, size: 1m}
              emitEvery: 1s
            ---
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: amount-min}
            spec:
              stream: shop-events
              events: [purchase, checkout_start]
              aggregation: {type: min, field: amount}
              dimensions: [platform]
              window: {type: cumulative, size: 4m, step: 1m}
              emitEvery: 1s
            ---
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: amount-max}
            spec:
              stream: shop-events
              events: [purchase, checkout_start]
              aggregation: {type: max, field: amount}
              dimensions: [platform]
              window: {type: cumulative, size: 4m, step: 1m}
              emitEvery: 1s
            ---
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: checkout-conversion}
            spec:
              stream: shop-events
              aggregation:
                type: ratio
                numerator: {events: [purchase]}
                denominator: {events: [checkout_start]}
              dimensions: [platform]
              window: {type: tumbling, size: 1m}
              emitEvery: 1s
            ---
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: amount-p90}
            spec:
              stream: shop-events
              events: [purchase]
              aggregation: {type: percentile, field: amount, percentile: 90}
              window: {type: tumbling, size: 2m}
              emitEvery: 1s
            ---
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: bulk-views}
            spec:
              stream: shop-events
              events: [view]
              where:
                - {field: quantity, operator: Gte, value: "2"}
              aggregation: {type: count}
              dimensions: [premium]
              window: {type: tumbling, size: 1m}
              emitEvery: 1s
            """;

    private ShopEvents() {
    }

    /**
     * {@code count} events over about {@code count·spacingMs} of event time from {@link #T0}, each
     * up to {@code jitterMs} earlier than its slot (out of order, within the watermark's bound).
     */
    static List<ShopEvent> generate(long seed, int count, long spacingMs, long jitterMs) {
        Random r = new Random(seed);
        String[] types = {"purchase", "purchase", "purchase", "checkout_start", "checkout_start", "view", "view", "view"};
        String[] platforms = {"ios", "android", "web"};
        String[] countries = {"US", "DE", "FR"};
        List<ShopEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long ts = T0 + i * spacingMs - (jitterMs == 0 ? 0 : (long) r.nextInt((int) jitterMs));
            events.add(new ShopEvent(types[r.nextInt(types.length)],
                    maybe(r, "u-" + r.nextInt(60)),
                    Math.max(T0, ts),
                    maybe(r, platforms[r.nextInt(3)]),
                    maybe(r, countries[r.nextInt(3)]),
                    maybe(r, Math.round(r.nextDouble() * 20000) / 100.0),
                    maybe(r, (long) (1 + r.nextInt(4))),
                    maybe(r, r.nextBoolean()),
                    r.nextInt(3) == 0));
        }
        return events;
    }

    private static <T> T maybe(Random r, T value) {
        return r.nextInt(10) == 0 ? null : value;
    }

    /** Lines that are not valid events of the stream. */
    static final List<String> MALFORMED = List.of(
            "this is not json",
            "{\"event\":\"purchase\",\"user_id\":\"u-1\"}",
            "{\"event\":\"view\",\"ts\":\"yesterday\"}",
            "{\"event\":\"purchase\",\"ts\":1767225600000,\"amount\":\"12.5\"}",
            "[1,2,3]",
            "{\"event\":\"purchase\",\"ts\":1767225600000,\"quantity\":1.5}",
            "{\"event\":\"purchase\",\"ts\":1767225600000");
}
