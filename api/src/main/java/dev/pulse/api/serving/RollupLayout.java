package dev.pulse.api.serving;

import dev.pulse.api.compile.Names;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.v1alpha1.common.Durations;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A Metric's rollup table for one coarse grain ({@code serving.rollups}), kept up to date by the
 * writer of the detail table ({@link RollupMaintenance}): in the transaction that upserts a batch
 * of detail rows, one set-based statement per rollup ({@link #refreshSql}) recomputes the buckets
 * the batch touched, finest grain first, each from the next finer table. No per-row trigger; a
 * bucket is a whole recount, so a replayed or restored write cannot count twice.
 *
 * <p>Only aggregations whose coarse value follows exactly from the detail rows get rollups
 * ({@link #reaggregates}): count and sum (sums), min and max (min/max), ratio (sums of numerator and
 * denominator), avg (the detail row's {@code denominator} carries its weight, the number of values
 * averaged; the rollup keeps the weighted sum). countDistinct and percentile cannot be combined
 * from per-window results: they have no rollups and are served at their window grain only.
 *
 * <p>Columns: the detail layout's key and {@link TableLayout#METRIC_VALUES} (same names, so the
 * same reader serves both), {@code final} (every detail row in it is final), and helpers
 * {@code row_count}, {@code provisional_count}, {@code value_sum}, {@code value_count}.
 *
 * @param detail the Metric's detail table
 * @param aggregation the Metric's aggregation; one that {@link #reaggregates}
 * @param grainMs the rollup's bucket size
 */
public record RollupLayout(TableLayout detail, AggregationType aggregation, long grainMs) implements Serializable {
    private static final Set<AggregationType> REAGGREGATES = EnumSet.of(AggregationType.count, AggregationType.sum,
            AggregationType.min, AggregationType.max, AggregationType.ratio, AggregationType.avg);

    // the helpers of incremental maintenance, beside the Metric value columns
    public static final TableLayout.Column ROW_COUNT = new TableLayout.Column("row_count", "bigint");
    public static final TableLayout.Column PROVISIONAL_COUNT = new TableLayout.Column("provisional_count", "bigint");
    public static final TableLayout.Column VALUE_SUM = new TableLayout.Column("value_sum", "double precision");
    public static final TableLayout.Column VALUE_COUNT = new TableLayout.Column("value_count", "bigint");

    /** Rollup value columns: the Metric ones, then the helpers, in the order {@link #refreshSql} writes them. */
    public static final List<TableLayout.Column> ROLLUP_VALUES = List.of(TableLayout.VALUE, TableLayout.NUMERATOR,
            TableLayout.DENOMINATOR, ROW_COUNT, PROVISIONAL_COUNT, VALUE_SUM, VALUE_COUNT);

    private static final String VALUE = TableLayout.VALUE.quoted();
    private static final String NUMERATOR = TableLayout.NUMERATOR.quoted();
    private static final String DENOMINATOR = TableLayout.DENOMINATOR.quoted();
    private static final String FINAL = TableLayout.quote(TableLayout.FINAL);
    private static final String WINDOW_START = TableLayout.quote(TableLayout.WINDOW_START);

    /** A rollup of {@code detail} at {@code grainMs}; its table is {@link #table()}. */
    public RollupLayout {
        if (!reaggregates(aggregation)) {
            throw new IllegalArgumentException("no rollups for " + aggregation + ": per-window results cannot be combined");
        }
        if (grainMs <= 0) {
            throw new IllegalArgumentException("rollup grain must be positive: " + grainMs);
        }
    }

    /** The rollups of a Metric, one per {@code serving.rollupsMs}; none when its aggregation has none. */
    public static List<RollupLayout> of(AnalysisPlan plan) {
        if (plan.kind() != AnalysisKind.Metric || !reaggregates(plan.metric().aggregation())) {
            return List.of();
        }
        TableLayout detail = TableLayout.of(plan);
        return plan.serving().rollupsMs().stream().map(g -> new RollupLayout(detail, plan.metric().aggregation(), g)).toList();
    }

    /** A rollup from its parts. */
    public static RollupLayout of(TableLayout detail, AggregationType aggregation, long grainMs) {
        return new RollupLayout(detail, aggregation, grainMs);
    }

    /** Whether an aggregation's per-window values combine exactly into coarser windows or fewer dimensions. */
    public static boolean reaggregates(AggregationType aggregation) {
        return REAGGREGATES.contains(aggregation);
    }

    /** The rollup table's name: {@code <detail>_r<grain>} ({@code mt_orders_ab12_r1h}), hashed when too long. */
    public static String rollupTable(String detailTable, long grainMs) {
        return Names.identifier(detailTable, "r" + Durations.format(grainMs));
    }

    /** The rollup table: the detail table's key and {@link #ROLLUP_VALUES}. */
    public TableLayout table() {
        return TableLayout.of(detail.schema(), rollupTable(detail.table(), grainMs), detail.dimensionColumns(), ROLLUP_VALUES);
    }

    /**
     * The SQL expression of a combined value over a group of rows, for an aggregation that
     * {@link #reaggregates}: the same expression builds rollups and answers coarse queries.
     *
     * @param fromRollup whether the rows are rollup rows (avg uses their weighted sum) or detail rows
     */
    public static String combinedValue(AggregationType aggregation, boolean fromRollup) {
        return switch (aggregation) {
            case count, sum -> "sum(" + VALUE + ")";
            case min -> "min(" + VALUE + ")";
            case max -> "max(" + VALUE + ")";
            case ratio -> "sum(" + NUMERATOR + ")::double precision / nullif(sum(" + DENOMINATOR + "), 0)";
            case avg -> (fromRollup ? "sum(" + VALUE_SUM.quoted() + ")" : "sum(" + VALUE + " * " + DENOMINATOR + ")")
                    + " / nullif(sum(" + DENOMINATOR + "), 0)";
            default -> throw new IllegalArgumentException("'" + aggregation + "' values cannot be combined");
        };
    }

    /**
     * The table a rollup at {@code grainMs} is computed from: the coarsest of the window grain and
     * the finer rollup grains that divides it (5 m from the 1-minute detail rows, 1 h from the
     * 5 m rollup, 1 d from the 1 h rollup), so a bucket is recomputed from a few rows whatever its grain.
     *
     * @param grainsMs the window size, then the rollup grains finest first (the catalog's {@code grains_ms})
     * @return the source grain; the window size means the detail table
     */
    public static long sourceGrain(List<Long> grainsMs, long grainMs) {
        long best = grainsMs.get(0);
        for (long g : grainsMs.subList(1, grainsMs.size())) {
            if (g < grainMs && grainMs % g == 0 && g > best) {
                best = g;
            }
        }
        return best;
    }

    /**
     * The set-based statement that recomputes buckets of this rollup from its source and upserts
     * them (a bucket that did not change is not written again). With {@code touchedOnly}, only the
     * buckets of the rows a writer just upserted: parameters are a {@code bigint[]} of their window
     * starts in epoch milliseconds, then one {@code text[]} per dimension column (stored values),
     * element i of each array describing row i. Without it, every bucket (the backfill of a new rollup).
     * Recomputing whole buckets makes it idempotent: a replayed or restored write yields the same rows.
     *
     * @param source the finer rollup to compute from, or null for the detail table
     */
    /**
     * {@link #refreshSql(RollupLayout, boolean)} from the next finer of {@code grains} (the window
     * size first, then the rollups finest first): the detail table, or the finer rollup.
     */
    public String refreshSql(List<Long> grains, boolean touchedOnly) {
        long source = sourceGrain(grains, grainMs);
        return refreshSql(source == grains.get(0) ? null : of(detail, aggregation, source), touchedOnly);
    }

    public String refreshSql(RollupLayout source, boolean touchedOnly) {
        if (source != null && (source.grainMs >= grainMs || grainMs % source.grainMs != 0 || !source.detail.qualifiedName().equals(detail.qualifiedName()))) {
            throw new IllegalArgumentException("a " + grainMs + " ms rollup cannot be computed from the " + source.grainMs + " ms one");
        }
        String from = source == null ? detail.qualifiedName() : source.table().qualifiedName();
        String interval = TableLayout.interval(grainMs);
        List<String> dims = detail.dimensionColumns().stream().map(TableLayout::quote).toList();
        StringBuilder sql = new StringBuilder();
        String b;
        List<String> groupDims;
        if (touchedOnly) {
            List<String> unnestArgs = new ArrayList<>(List.of("?::bigint[]"));
            List<String> aliases = new ArrayList<>(List.of("ms"));
            dims.forEach(d -> {
                unnestArgs.add("?::text[]");
                aliases.add(d);
            });
            sql.append("WITH touched AS (SELECT DISTINCT ")
                    .append(TableLayout.bucket(grainMs, "timestamptz '1970-01-01 00:00:00+00' + t.ms * interval '1 millisecond'"))
                    .append(" AS b");
            dims.forEach(d -> sql.append(", t.").append(d));
            sql.append(" FROM unnest(").append(String.join(", ", unnestArgs)).append(") AS t(")
                    .append(String.join(", ", aliases)).append(")) ");
            b = "touched.b";
            groupDims = dims.stream().map(d -> "touched." + d).toList();
        } else {
            b = TableLayout.bucket(grainMs, "s." + WINDOW_START);
            groupDims = dims.stream().map(d -> "s." + d).toList();
        }
        // the bucket's values, in ROLLUP_VALUES order, then final
        List<String> aggs = new ArrayList<>();
        if (source == null) {
            aggs.add(combinedValue(aggregation, false));
            aggs.add("coalesce(sum(s." + NUMERATOR + "), 0)");
            aggs.add("coalesce(sum(s." + DENOMINATOR + "), 0)");
            aggs.add("count(*)");
            aggs.add("count(*) FILTER (WHERE NOT s." + FINAL + ")");
            aggs.add(aggregation == AggregationType.avg ? "coalesce(sum(s." + VALUE + " * s." + DENOMINATOR + "), 0)"
                    : "coalesce(sum(s." + VALUE + "), 0)");
            aggs.add("count(s." + VALUE + ")");
            aggs.add("bool_and(s." + FINAL + ")");
        } else {
            aggs.add(combinedValue(aggregation, true));
            for (TableLayout.Column c : ROLLUP_VALUES.subList(1, ROLLUP_VALUES.size())) {
                aggs.add("sum(s." + c.quoted() + ")");
            }
            aggs.add("sum(s." + PROVISIONAL_COUNT.quoted() + ") = 0");
        }
        sql.append("INSERT INTO ").append(table().qualifiedName()).append(" AS r (").append(allColumns()).append(") SELECT ")
                .append(b).append(", ").append(b).append(" + ").append(interval);
        groupDims.forEach(d -> sql.append(", ").append(d));
        if (touchedOnly) {
            // one index range scan of the source per touched bucket (LATERAL), whatever the source's size
            for (int i = 0; i < aggs.size(); i++) {
                sql.append(", x.a").append(i);
            }
            sql.append(", now() FROM touched CROSS JOIN LATERAL (SELECT ");
            for (int i = 0; i < aggs.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(aggs.get(i)).append(" AS a").append(i);
            }
            sql.append(" FROM ").append(from).append(" AS s WHERE s.").append(WINDOW_START).append(" >= touched.b AND s.")
                    .append(WINDOW_START).append(" < touched.b + ").append(interval);
            dims.forEach(d -> sql.append(" AND s.").append(d).append(" = touched.").append(d));
            // a3 is the bucket's row count: none (null or 0) means nothing to write
            sql.append(") AS x WHERE x.a3 > 0");
        } else {
            aggs.forEach(a -> sql.append(", ").append(a));
            sql.append(", now() FROM ").append(from).append(" AS s GROUP BY ").append(String.join(", ", prepend(b, groupDims)));
        }
        sql.append(" ON CONFLICT (").append(String.join(", ", table().keyColumns().stream().map(TableLayout::quote).toList()))
                .append(") DO UPDATE SET ");
        List<String> compared = new ArrayList<>();
        for (TableLayout.Column c : ROLLUP_VALUES) {
            sql.append(c.quoted()).append(" = EXCLUDED.").append(c.quoted()).append(", ");
            compared.add(c.quoted());
        }
        compared.add(FINAL);
        sql.append(FINAL).append(" = EXCLUDED.").append(FINAL).append(", ")
                .append(TableLayout.quote(TableLayout.UPDATED_AT)).append(" = EXCLUDED.").append(TableLayout.quote(TableLayout.UPDATED_AT))
                // final detail rows never change: a final bucket over as many rows is the same bucket
                // (recomputed, its double sums could differ in the last bit; it is not rewritten)
                .append(" WHERE NOT (r.").append(FINAL).append(" AND EXCLUDED.").append(FINAL).append(" AND r.")
                .append(ROW_COUNT.quoted()).append(" = EXCLUDED.").append(ROW_COUNT.quoted()).append(") AND (")
                .append(String.join(", ", compared.stream().map(c -> "r." + c).toList())).append(") IS DISTINCT FROM (")
                .append(String.join(", ", compared.stream().map(c -> "EXCLUDED." + c).toList())).append(")");
        return sql.toString();
    }

    /**
     * Fills or refreshes every bucket of this rollup from the detail rows (a bulk load that wrote
     * the detail table directly, as the serving benchmark's does): {@link #refreshSql} over all rows.
     */
    public String backfillSql() {
        return refreshSql((RollupLayout) null, false);
    }

    /** Every column of a rollup row, quoted: key, {@link #ROLLUP_VALUES}, final, updated_at. */
    private String allColumns() {
        List<String> cols = new ArrayList<>(detail.keyColumns());
        ROLLUP_VALUES.forEach(c -> cols.add(c.name()));
        cols.add(TableLayout.FINAL);
        cols.add(TableLayout.UPDATED_AT);
        return String.join(", ", cols.stream().map(TableLayout::quote).toList());
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> out = new ArrayList<>();
        out.add(first);
        out.addAll(rest);
        return out;
    }
}
