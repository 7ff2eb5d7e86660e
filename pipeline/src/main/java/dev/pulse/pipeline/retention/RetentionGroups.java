package dev.pulse.pipeline.retention;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.groups.Groups;
import dev.pulse.pipeline.metric.DimensionKey;

/**
 * A Retention's combinations for {@link dev.pulse.pipeline.groups.GroupLimit}: the breakdown
 * values of a member's cohort row, bounded per cohort period. The period closes when its rows are
 * final (their last retention period complete).
 */
public final class RetentionGroups implements Groups<MemberUpdate> {
    private static final long serialVersionUID = 1L;
    private final long closesAfter;
    private final int dimensionCount;

    public RetentionGroups(AnalysisPlan plan) {
        RetentionTracker tracker = new RetentionTracker(plan.retention());
        this.closesAfter = (tracker.bounded() ? tracker.periods() + 2L : tracker.periods() + 1L) * tracker.periodMs()
                + plan.allowedLatenessMs();
        this.dimensionCount = plan.dimensions().size();
    }

    @Override
    public long period(MemberUpdate u) {
        return u.cohortStart;
    }

    @Override
    public String group(MemberUpdate u) {
        return u.row;
    }

    @Override
    public void toOther(MemberUpdate u, long period) {
        u.dimensions = Groups.others(dimensionCount);
        u.row = DimensionKey.row(period, u.dimensions);
    }

    @Override
    public long closesAt(long period) {
        return period + closesAfter;
    }
}
