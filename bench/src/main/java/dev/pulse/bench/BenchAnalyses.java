package dev.pulse.bench;

/** The funnel and the retention both benchmarks run over the shop events (case (c) and the serving tables). */
final class BenchAnalyses {
    static final String FUNNEL = """
            apiVersion: pulse.dev/v1alpha1
            kind: Funnel
            metadata: {name: purchase-funnel, namespace: bench}
            spec:
              stream: shop-events
              steps:
                - {name: viewed, events: [view]}
                - {name: carted, events: [add_to_cart]}
                - {name: checkout, events: [checkout_start]}
                - {name: purchased, events: [purchase]}
              conversionWindow: 30m
              dimensions: [platform]
              window: {type: tumbling, size: 1m}
            """;
    static final String RETENTION = """
            apiVersion: pulse.dev/v1alpha1
            kind: Retention
            metadata: {name: buyer-retention, namespace: bench}
            spec:
              stream: shop-events
              cohort: {events: [view]}
              return: {events: [purchase]}
              period: 1h
              periods: 7
              dimensions: [platform]
            """;

    private BenchAnalyses() {
    }
}
