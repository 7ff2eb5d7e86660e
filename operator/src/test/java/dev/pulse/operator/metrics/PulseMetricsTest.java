package dev.pulse.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.v1alpha1.common.AnalysisStatus;
import dev.pulse.api.v1alpha1.common.DriftStatus;
import dev.pulse.api.v1alpha1.common.FreshnessStatus;
import dev.pulse.api.v1alpha1.common.LagStatus;
import dev.pulse.operator.status.Conditions;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The exposition format Prometheus scrapes: names, labels, absent figures, removal. */
class PulseMetricsTest {
    @Test
    void gaugesCarryNamespaceKindAndNameOnly() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PulseMetrics metrics = new PulseMetrics(registry);
        AnalysisStatus s = new AnalysisStatus();
        s.setConditions(List.of(Conditions.of("Ready", "True", "Ready", ""), Conditions.of("PipelineRunning", "True", "Running", ""),
                Conditions.of("Authoritative", "False", "OnProbation", "")));
        LagStatus lag = new LagStatus();
        lag.setRecords(1200L);
        lag.setSeconds(14L);
        s.setLag(lag);
        FreshnessStatus f = new FreshnessStatus();
        f.setSecondsBehind(95L);
        f.setLatestFinalWindowEnd("2026-01-01T00:01:00Z");
        s.setFreshness(f);
        DriftStatus d = new DriftStatus();
        d.setRelativeError(0.01);
        s.setDrift(d);
        metrics.record("growth", "Metric", "orders", "checkout-team", s, 150L, 0.005);
        metrics.reconcileError("growth", "Metric", "orders");

        String text = registry.scrape();
        assertThat(text).contains("pulse_analysis_lag_records{kind=\"Metric\",name=\"orders\",namespace=\"growth\",} 1200.0",
                "pulse_analysis_lag_seconds{kind=\"Metric\",name=\"orders\",namespace=\"growth\",} 14.0",
                "pulse_analysis_freshness_seconds{kind=\"Metric\",name=\"orders\",namespace=\"growth\",} 95.0",
                "pulse_analysis_freshness_objective_seconds{kind=\"Metric\",name=\"orders\",namespace=\"growth\",} 150.0",
                // 2026-01-01T00:01:00Z in Unix seconds
                "pulse_analysis_latest_final_window_end_seconds{kind=\"Metric\",name=\"orders\",namespace=\"growth\",} 1.76722566E9",
                "pulse_analysis_drift_ratio{kind=\"Metric\",name=\"orders\",namespace=\"growth\",} 0.01",
                "pulse_analysis_drift_tolerance_ratio{kind=\"Metric\",name=\"orders\",namespace=\"growth\",} 0.005",
                "pulse_analysis_authoritative{kind=\"Metric\",name=\"orders\",namespace=\"growth\",} 0.0",
                "pulse_analysis_ready{kind=\"Metric\",name=\"orders\",namespace=\"growth\",} 1.0",
                "pulse_pipeline_up{kind=\"Metric\",name=\"orders\",namespace=\"growth\",} 1.0",
                "pulse_pipeline_suspended{kind=\"Metric\",name=\"orders\",namespace=\"growth\",} 0.0",
                "pulse_reconcile_errors_total{kind=\"Metric\",name=\"orders\",namespace=\"growth\",} 1.0",
                "pulse_analysis_info{kind=\"Metric\",name=\"orders\",namespace=\"growth\",owner=\"checkout-team\",} 1.0");
        assertThat(text).doesNotContain("pulse_anomalies_active{"); // no anomaly detection: absent, not 0

        s.setLag(null);
        metrics.record("growth", "Metric", "orders", "payments-team", s, 150L, 0.005); // the owner changed: one info series, the new one
        assertThat(registry.scrape()).doesNotContain("pulse_analysis_lag_records{", "owner=\"checkout-team\"")
                .contains("pulse_analysis_info{kind=\"Metric\",name=\"orders\",namespace=\"growth\",owner=\"payments-team\",} 1.0");

        metrics.retain("Metric", Set.of());
        assertThat(registry.scrape()).doesNotContain("name=\"orders\"");
    }
}
