package dev.pulse.operator.metrics;

import dev.pulse.api.v1alpha1.common.AnalysisStatus;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.Reasons;
import dev.pulse.operator.status.Conditions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code pulse_*} gauges, one series per resource, labelled {@code namespace}, {@code kind} and
 * {@code name} only. They are set from the status the operator just computed, so Prometheus and
 * {@code kubectl get} agree; a figure the status does not hold has no series (absent, not 0).
 * Series of deleted resources are removed ({@link #retain}). {@link #INFO} alone also carries the
 * analysis's {@code spec.owner}, so alert rules join it in and Alertmanager routes by team.
 */
@ApplicationScoped
public class PulseMetrics {
    public static final String LAG_RECORDS = "pulse_analysis_lag_records";
    public static final String LAG_SECONDS = "pulse_analysis_lag_seconds";
    public static final String FRESHNESS_SECONDS = "pulse_analysis_freshness_seconds";
    public static final String FRESHNESS_OBJECTIVE_SECONDS = "pulse_analysis_freshness_objective_seconds";
    public static final String LATEST_FINAL_WINDOW_END = "pulse_analysis_latest_final_window_end_seconds";
    public static final String DRIFT_RATIO = "pulse_analysis_drift_ratio";
    public static final String DRIFT_TOLERANCE_RATIO = "pulse_analysis_drift_tolerance_ratio";
    public static final String AUTHORITATIVE = "pulse_analysis_authoritative";
    public static final String READY = "pulse_analysis_ready";
    /** Always 1, labelled {@code owner} too (empty when {@code spec.owner} is unset): joined into the alerts. */
    public static final String INFO = "pulse_analysis_info";
    public static final String PIPELINE_UP = "pulse_pipeline_up";
    public static final String PIPELINE_SUSPENDED = "pulse_pipeline_suspended";
    public static final String ANOMALIES_ACTIVE = "pulse_anomalies_active";
    /** Micrometer name of {@code pulse_reconcile_errors_total}. */
    public static final String RECONCILE_ERRORS = "pulse_reconcile_errors";

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry(LAG_RECORDS, "Records the pipeline's consumer group is behind the end of the stream's topic, summed over partitions (status.lag.records)"),
            Map.entry(LAG_SECONDS, "Estimated seconds the pipeline is behind its topic, the largest over partitions (status.lag.seconds)"),
            Map.entry(FRESHNESS_SECONDS, "Seconds between now and the end of the latest final window in the serving store (status.freshness.secondsBehind)"),
            Map.entry(LATEST_FINAL_WINDOW_END, "End of the latest final window in the serving store, Unix epoch seconds "
                    + "(status.freshness.latestFinalWindowEnd): alerts compare it with time(), so they hold when the operator stalls"),
            Map.entry(FRESHNESS_OBJECTIVE_SECONDS, "The largest freshness still Fresh: spec.freshnessObjective plus allowedLateness and the stream's maxOutOfOrderness"),
            Map.entry(DRIFT_RATIO, "Relative error |streaming - batch| / |batch| of the latest compared day (status.drift.relativeError)"),
            Map.entry(DRIFT_TOLERANCE_RATIO, "spec.reconciliation.tolerance.relative (default 0.005)"),
            Map.entry(AUTHORITATIVE, "1 when the Authoritative condition is True, else 0 (Metrics with reconciliation)"),
            Map.entry(READY, "1 when the Ready condition is True, else 0"),
            Map.entry(INFO, "Always 1; its owner label is the analysis's spec.owner, for routing alerts to the owning team"),
            Map.entry(PIPELINE_UP, "1 when PipelineRunning is True, 0 when False; absent while Unknown"),
            Map.entry(PIPELINE_SUSPENDED, "1 while the pipeline is suspended (spec.suspend), else 0"),
            Map.entry(ANOMALIES_ACTIVE, "Anomalies in the latest final window (status.anomalies.active)"));

    private record Id(String namespace, String kind, String name) {
    }

    private final MeterRegistry registry;
    private final Map<Id, Map<String, AtomicReference<Double>>> values = new ConcurrentHashMap<>();
    private final Map<Id, String> owners = new ConcurrentHashMap<>();

    public PulseMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Sets every gauge of one analysis from its status.
     *
     * @param owner {@code spec.owner}, or null
     * @param freshnessObjectiveSeconds the allowed freshness (objective plus lateness and out-of-orderness)
     * @param driftTolerance the relative drift tolerance, or null when the Metric is not reconciled
     */
    public void record(String namespace, String kind, String name, String owner, AnalysisStatus status, Long freshnessObjectiveSeconds,
            Double driftTolerance) {
        Id id = new Id(namespace, kind, name);
        owner(id, owner == null ? "" : owner);
        Condition running = status.condition(Condition.PIPELINE_RUNNING).orElse(null);
        set(id, READY, status.condition(Condition.READY).map(c -> Conditions.isTrue(c) ? 1.0 : 0.0).orElse(null));
        set(id, PIPELINE_UP, running == null || Conditions.UNKNOWN.equals(running.getStatus()) ? null : Conditions.isTrue(running) ? 1.0 : 0.0);
        set(id, PIPELINE_SUSPENDED, running == null ? null : Reasons.SUSPENDED.equals(running.getReason()) ? 1.0 : 0.0);
        set(id, LAG_RECORDS, status.getLag() == null ? null : number(status.getLag().getRecords()));
        set(id, LAG_SECONDS, status.getLag() == null ? null : number(status.getLag().getSeconds()));
        set(id, FRESHNESS_SECONDS, status.getFreshness() == null ? null : number(status.getFreshness().getSecondsBehind()));
        set(id, FRESHNESS_OBJECTIVE_SECONDS, number(freshnessObjectiveSeconds));
        set(id, LATEST_FINAL_WINDOW_END, status.getFreshness() == null ? null : epochSeconds(status.getFreshness().getLatestFinalWindowEnd()));
        set(id, DRIFT_RATIO, status.getDrift() == null ? null : status.getDrift().getRelativeError());
        set(id, DRIFT_TOLERANCE_RATIO, driftTolerance);
        set(id, AUTHORITATIVE, driftTolerance == null ? null
                : status.condition(Condition.AUTHORITATIVE).map(c -> Conditions.isTrue(c) ? 1.0 : 0.0).orElse(0.0));
        set(id, ANOMALIES_ACTIVE, status.getAnomalies() == null ? null : number(status.getAnomalies().getActive()));
    }

    /** Counts a failed reconcile of a resource. */
    public void reconcileError(String namespace, String kind, String name) {
        Counter.builder(RECONCILE_ERRORS).description("Reconciles of a Pulse resource that failed with an error")
                .tags(tags(new Id(namespace, kind, name))).register(registry).increment();
    }

    /** Removes the series of the resources of a kind that are no longer there. */
    public void retain(String kind, Set<String> namespacedNames) {
        for (Id id : Set.copyOf(values.keySet())) {
            if (id.kind().equals(kind) && !namespacedNames.contains(id.namespace() + "/" + id.name())) {
                Map<String, AtomicReference<Double>> gone = values.remove(id);
                gone.keySet().forEach(metric -> remove(id, metric));
                String owner = owners.remove(id);
                if (owner != null) {
                    removeInfo(id, owner);
                }
                var counter = registry.find(RECONCILE_ERRORS).tags(tags(id)).counter();
                if (counter != null) {
                    registry.remove(counter);
                }
            }
        }
    }

    /** The current value of a gauge (tests). */
    public Double value(String namespace, String kind, String name, String metric) {
        Map<String, AtomicReference<Double>> m = values.get(new Id(namespace, kind, name));
        AtomicReference<Double> v = m == null ? null : m.get(metric);
        return v == null ? null : v.get();
    }

    private void set(Id id, String metric, Double value) {
        Map<String, AtomicReference<Double>> m = values.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
        if (value == null) {
            if (m.remove(metric) != null) {
                remove(id, metric);
            }
            return;
        }
        AtomicReference<Double> ref = m.get(metric);
        if (ref == null) {
            AtomicReference<Double> created = new AtomicReference<>(value);
            ref = m.putIfAbsent(metric, created);
            if (ref == null) {
                Gauge.builder(metric, created, r -> {
                    Double d = r.get();
                    return d == null ? Double.NaN : d;
                }).description(HELP.get(metric)).tags(tags(id)).strongReference(true).register(registry);
                return;
            }
        }
        ref.set(value);
    }

    private void owner(Id id, String owner) {
        String before = owners.put(id, owner);
        if (owner.equals(before)) {
            return;
        }
        if (before != null) {
            removeInfo(id, before);
        }
        Gauge.builder(INFO, () -> 1.0).description(HELP.get(INFO)).tags(tags(id).and("owner", owner)).strongReference(true).register(registry);
    }

    private void removeInfo(Id id, String owner) {
        var gauge = registry.find(INFO).tags(tags(id).and("owner", owner)).gauge();
        if (gauge != null) {
            registry.remove(gauge);
        }
    }

    private void remove(Id id, String metric) {
        var gauge = registry.find(metric).tags(tags(id)).gauge();
        if (gauge != null) {
            registry.remove(gauge);
        }
    }

    private static Tags tags(Id id) {
        return Tags.of("namespace", id.namespace(), "kind", id.kind(), "name", id.name());
    }

    private static Double epochSeconds(String instant) {
        if (instant == null || instant.isBlank()) {
            return null;
        }
        try {
            return java.time.Instant.parse(instant).toEpochMilli() / 1000.0;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static Double number(Number n) {
        return n == null ? null : n.doubleValue();
    }
}
