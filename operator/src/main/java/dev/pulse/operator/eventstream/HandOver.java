package dev.pulse.operator.eventstream;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.Catalog;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.operator.config.PulseConfig;
import dev.pulse.operator.health.StreamProbes;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import dev.pulse.operator.serving.ServingDatabase;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Pins the new versions of a plan before it is deployed (see {@code BackfillPlan}): when they were
 * applied and, per partition, the hand-over between the version's bounded history read and the live
 * pipeline: exactly where the pipeline's next job resumes reading, its consumer group's committed
 * position, read while the pipeline is stopped (the job commits the position of every checkpoint and
 * savepoint synchronously), so no record falls between the two. A running pipeline is stopped first
 * (suspended with a savepoint by the stream's workflow) and pinned once it has stopped. A version that served before (going back
 * to an earlier definition) resumes from the end of its latest final window, read from the
 * serving catalog. When Kafka cannot be read the plan stays unpinned (the version counts from where
 * the pipeline resumes, as before backfill existed) and pinning is tried again on the next
 * reconcile, which then restarts the pipeline with the history read.
 */
@ApplicationScoped
public class HandOver {
    private static final Logger LOG = Logger.getLogger(HandOver.class);

    private final StreamProbes probes;
    private final PulseConfig config;
    private final Clock clock;

    private final ServingDatabase serving;

    public HandOver(StreamProbes probes, PulseConfig config, Clock clock, ServingDatabase serving) {
        this.serving = serving;
        this.probes = probes;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The plan with its new versions pinned, or as it is when nothing needs pinning, the pipeline
     * still runs, or Kafka cannot be read.
     *
     * @param deployed the plan the pipeline runs now, or null
     * @param stopped whether the plan's pipeline has no job reading now (none deployed, or suspended)
     */
    public PipelinePlan pin(EventStream stream, PipelinePlan plan, PipelinePlan deployed, boolean stopped) {
        if (!plan.needsPinning(deployed) || !stopped) {
            return plan;
        }
        Optional<Map<Integer, Long>> resume = probes.resumeOffsets(stream, plan.stream().topic(), plan.stream().consumerGroup());
        if (resume.isEmpty()) {
            return plan;
        }
        return plan.pinned(clock.millis(), resume.get(), latestFinalWindowEnds(plan), deployed);
    }

    /** Per analysis id of the plan, the end of the latest final window its version's tables hold. */
    private Map<String, Long> latestFinalWindowEnds(PipelinePlan plan) {
        Map<String, Long> out = new HashMap<>();
        if (config.jdbc().url().isEmpty()) {
            return out;
        }
        try (Connection c = serving.connect()) {
            for (Catalog.Entry e : Catalog.read(c)) {
                for (AnalysisPlan a : plan.analyses()) {
                    if (e.latestFinalWindowEnd() != null && e.namespace().equals(a.namespace()) && e.kind() == a.kind()
                            && e.name().equals(a.name()) && e.version().equals(a.semanticHash())) {
                        out.put(a.id(), e.latestFinalWindowEnd().toEpochMilli());
                    }
                }
            }
        } catch (SQLException e) {
            LOG.warnf("cannot read the serving catalog for the versions of %s: %s", plan.pipeline(), ServingDatabase.describe(e));
        }
        return out;
    }
}
