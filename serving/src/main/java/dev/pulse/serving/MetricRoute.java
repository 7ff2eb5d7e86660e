package dev.pulse.serving;

import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.RollupLayout;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.common.Durations;
import dev.pulse.api.v1alpha1.common.WindowType;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import java.util.ArrayList;
import java.util.List;

/**
 * Which table answers a metric query: the coarsest table whose grain divides the asked grain, so
 * the fewest rows are read. A rollup answers coarse grains and totals; the detail table answers
 * the window grain (and whatever no rollup divides). Values are combined (over time buckets or
 * across dimension values) only for aggregations whose per-window values combine exactly; a
 * countDistinct or percentile metric is answered at its window grain or a rollup's own grain,
 * grouped by every dimension, from that table's rows as they are (a rollup's row is the
 * aggregation over its whole bucket, {@link RollupLayout#merges}).
 *
 * @param table the table read
 * @param tableGrainMs its grain
 * @param rollup whether it is a rollup
 * @param combine whether rows are combined (coarser grain than the table's, or fewer dimensions)
 */
public record MetricRoute(TableLayout table, long tableGrainMs, boolean rollup, boolean combine) {

    /** Routes a query at {@code grainMs} grouped by every dimension ({@code allDimensions}) or fewer. */
    public static MetricRoute of(Catalog.Entry e, long grainMs, boolean allDimensions) {
        AggregationType aggregation = e.plan().metric().aggregation();
        boolean reaggregates = RollupLayout.reaggregates(aggregation);
        if (e.windowType() != WindowType.tumbling && grainMs != e.windowMs()) {
            throw new ApiError.BadParameter("grain", "grain: a " + e.windowType() + " window's results overlap and cannot be combined "
                    + "into coarser buckets; ask for its window size " + Durations.format(e.windowMs()));
        }
        if (!reaggregates) {
            // served as stored: the detail table at the window grain, or the rollup of exactly the asked grain
            List<Long> grains = e.rollups().stream().map(RollupLayout::grainMs).toList();
            boolean grainServed = grainMs == e.windowMs() || grains.contains(grainMs);
            if (!grainServed || !allDimensions) {
                List<String> allowed = new ArrayList<>(List.of(Durations.format(e.windowMs())));
                grains.forEach(g -> allowed.add(Durations.format(g)));
                throw new ApiError.BadParameter(grainServed ? "groupBy" : "grain", "a " + aggregation
                        + " metric's values cannot be combined further: ask for one of the grains " + allowed
                        + " (the window and the rollups) grouped by every dimension " + e.dimensions());
            }
            for (RollupLayout r : e.rollups()) {
                if (r.grainMs() == grainMs) {
                    return new MetricRoute(r.table(), r.grainMs(), true, false);
                }
            }
            return new MetricRoute(e.detail(), e.windowMs(), false, false);
        }
        MetricRoute best = new MetricRoute(e.detail(), e.windowMs(), false, grainMs != e.windowMs() || !allDimensions);
        for (RollupLayout r : e.rollups()) {
            if (grainMs % r.grainMs() == 0 && r.grainMs() > best.tableGrainMs()) {
                best = new MetricRoute(r.table(), r.grainMs(), true, grainMs != r.grainMs() || !allDimensions);
            }
        }
        return best;
    }

    /** {@code schema.table}, as in the {@code X-Pulse-Table} header. */
    public String tableName() {
        return table.schema() + "." + table.table();
    }
}
