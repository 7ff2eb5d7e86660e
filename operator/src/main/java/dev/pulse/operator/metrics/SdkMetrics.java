package dev.pulse.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The SDK's {@code operator_sdk_*} reconcile metrics per controller, not per resource. QOSDK's
 * default keeps a timer with a percentile histogram and counters for every resource it ever
 * reconciled: at 1,000 Metrics that was about 15 MiB of the operator's heap and some 80,000
 * series on {@code /q/metrics} (docs/benchmarks.md, "Operator at scale"). Per analysis, the
 * {@code pulse_*} metrics ({@link PulseMetrics}) say what an operator on call needs.
 */
public class SdkMetrics {
    @Produces
    @Singleton
    Metrics metrics(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}
