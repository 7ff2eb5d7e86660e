package dev.pulse.pipeline.metric;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.WindowPlan;
import dev.pulse.api.v1alpha1.common.WindowType;
import dev.pulse.pipeline.groups.Groups;

/**
 * A Metric's combinations for {@link dev.pulse.pipeline.groups.GroupLimit}: an observation's
 * dimension key, bounded per window-size-aligned period {@code [k·size, (k+1)·size)} (a tumbling
 * window; the windows of a cumulative period; for hopping windows, the period the event falls in).
 * The period closes when the last window holding any of its times is final.
 */
public final class MetricGroups implements Groups<Observation> {
    private static final long serialVersionUID = 1L;
    private final long size;
    /** From a period's start to the watermark at which its last window is final. */
    private final long closesAfter;
    private final String other;

    public MetricGroups(AnalysisPlan plan) {
        WindowPlan w = plan.window();
        this.size = w.sizeMs();
        long lastEnd = w.type() == WindowType.hopping ? 2 * size - w.slideMs() : size;
        this.closesAfter = lastEnd - 1 + plan.allowedLatenessMs();
        this.other = DimensionKey.encode(Groups.others(plan.dimensions().size()));
    }

    @Override
    public long period(Observation o) {
        return Math.floorDiv(o.time, size) * size;
    }

    @Override
    public String group(Observation o) {
        return o.key;
    }

    @Override
    public void toOther(Observation o, long period) {
        o.key = other;
    }

    @Override
    public long closesAt(long period) {
        return period + closesAfter;
    }
}
