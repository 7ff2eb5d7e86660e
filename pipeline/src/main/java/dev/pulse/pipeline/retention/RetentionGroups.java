package dev.pulse.pipeline.retention;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.v1alpha1.common.AnalysisLimits;
import dev.pulse.pipeline.groups.Groups;
import dev.pulse.pipeline.metric.DimensionKey;
import java.util.Arrays;

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
        String[] dimensions = new String[dimensionCount];
        Arrays.fill(dimensions, AnalysisLimits.OTHER);
        String[] key = new String[dimensionCount + 1];
        key[0] = Long.toString(period);
        System.arraycopy(dimensions, 0, key, 1, dimensionCount);
        u.dimensions = dimensions;
        u.row = DimensionKey.encode(key);
    }

    @Override
    public long closesAt(long period) {
        return period + closesAfter;
    }
}
