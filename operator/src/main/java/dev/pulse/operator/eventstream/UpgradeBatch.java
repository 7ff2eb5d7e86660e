package dev.pulse.operator.eventstream;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.BackfillPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.operator.config.PulseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds a changed plan back until a stream's definitions have been quiet for
 * {@code pulse.upgrade.batchWindow}, so changes applied together (one {@code kubectl apply -f dir/},
 * an Argo CD sync) restart the stream's pipelines once. Compares plans without their backfill pins:
 * a held version is pinned when it is finally rolled out.
 */
@ApplicationScoped
public class UpgradeBatch {
    private record Pending(String desired, Instant since) {
    }

    private final Duration window;
    private final Clock clock;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    @Inject
    public UpgradeBatch(PulseConfig config, Clock clock) {
        this(config.upgrade().batchWindow(), clock);
    }

    UpgradeBatch(Duration window, Clock clock) {
        this.window = window;
        this.clock = clock;
    }

    /**
     * How long to hold the desired plans back before rolling them out: zero when they equal the
     * deployed ones, when the stream has no plan deployed yet, or when the window has passed since
     * the last change.
     *
     * @param stream namespace/name of the stream
     * @param deployed the plans in the stream's ConfigMaps now
     * @param desired the plans just compiled
     */
    public Duration holdFor(String stream, Collection<PipelinePlan> deployed, Collection<PipelinePlan> desired) {
        String want = key(desired);
        if (window.isZero() || deployed.isEmpty() || want.equals(key(deployed))) {
            pending.remove(stream);
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        Pending p = pending.compute(stream, (k, before) -> before != null && before.desired().equals(want) ? before : new Pending(want, now));
        Duration left = window.minus(Duration.between(p.since(), now));
        // once the window has passed, the same desired plans roll out (possibly over several
        // reconciles: stop the pipeline, then deploy) until they are deployed or change again
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The plans' content without backfill pins, as one hash. */
    private static String key(Collection<PipelinePlan> plans) {
        List<Object> parts = new ArrayList<>();
        plans.stream().sorted(java.util.Comparator.comparing(PipelinePlan::pipeline)).forEach(p -> {
            List<AnalysisPlan> analyses = p.analyses().stream().map(UpgradeBatch::unpinned).toList();
            parts.add(new PipelinePlan(p.apiVersion(), p.pipeline(), null, p.stream(), analyses));
        });
        return PlanJson.sha256(parts);
    }

    private static AnalysisPlan unpinned(AnalysisPlan a) {
        BackfillPlan b = a.backfill();
        return b == null ? a : a.withBackfill(new BackfillPlan(b.mode(), b.fromMs(), b.durationMs(), null, null));
    }
}
