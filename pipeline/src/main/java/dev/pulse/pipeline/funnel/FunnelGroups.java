package dev.pulse.pipeline.funnel;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.groups.Groups;
import dev.pulse.pipeline.metric.DimensionKey;

/**
 * A Funnel's combinations for {@link dev.pulse.pipeline.groups.GroupLimit}: the breakdown values
 * of an attempt's row, bounded per reporting window. An update that takes an attempt back (level
 * 0) makes no combination of its own. The window closes when its row is final.
 */
public final class FunnelGroups implements Groups<AttemptUpdate> {
    private static final long serialVersionUID = 1L;
    private final long windowMs;
    private final long closesAfter;
    private final int dimensionCount;

    public FunnelGroups(AnalysisPlan plan) {
        this.windowMs = plan.window().sizeMs();
        this.closesAfter = windowMs - 1 + plan.funnel().conversionWindowMs() + plan.allowedLatenessMs();
        this.dimensionCount = plan.dimensions().size();
    }

    @Override
    public long period(AttemptUpdate u) {
        return Math.floorDiv(u.start, windowMs) * windowMs;
    }

    @Override
    public String group(AttemptUpdate u) {
        return u.row;
    }

    @Override
    public void toOther(AttemptUpdate u, long period) {
        u.dimensions = Groups.others(dimensionCount);
        u.row = DimensionKey.row(period, u.dimensions);
    }

    @Override
    public boolean admits(AttemptUpdate u) {
        return u.level > 0;
    }

    @Override
    public long closesAt(long period) {
        return period + closesAfter;
    }
}
