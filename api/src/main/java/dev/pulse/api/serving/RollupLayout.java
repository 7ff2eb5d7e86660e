package dev.pulse.api.serving;

import dev.pulse.api.compile.Names;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.MetricPlan;
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
 * <p>Every aggregation has rollups, and a bucket's value is the aggregation over the whole bucket:
 * count and sum (sums), min and max (min/max), ratio (sums of numerator and denominator), avg (the
 * detail row's {@code denominator} carries its weight, the number of values averaged; the rollup
 * keeps the weighted sum) combine from the values ({@link #reaggregates}). countDistinct and
 * percentile combine from each row's merge state ({@link TableLayout#metricState}, {@link #merges}):
 * the union of the rows' distinct values (exact), and the sum of their DDSketch bins, whose
 * quantile is read as the sketch reads it (the first bin, in value order, whose cumulative count
 * exceeds q·(n−1)), so a bucket's percentile is that of one sketch fed every value of the bucket,
 * within the sketch's relative accuracy of the exact one. Those two are answered only at a rollup's
 * own grain, grouped by every dimension: combining their rows further at query time is not built.
 *
 * <p>Columns: the detail layout's key and {@link TableLayout#METRIC_VALUES} (same names, so the
 * same reader serves both), {@code final} (every detail row in it is final), helpers
 * {@code row_count}, {@code provisional_count}, {@code value_sum}, {@code value_count}, and the
 * merged state of countDistinct and percentile ({@link TableLayout#metricState}: the bucket's union
 * and merged bins, so coarser rollups merge them again; other aggregations have none).
 *
 * @param detail the Metric's detail table
 * @param aggregation the Metric's aggregation
 * @param percentile the percentile (0–100] of a percentile Metric, null otherwise
 * @param grainMs the rollup's bucket size
 */
public record RollupLayout(TableLayout detail, AggregationType aggregation, Double percentile, long grainMs) implements Serializable {
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
        if (grainMs <= 0) {
            throw new IllegalArgumentException("rollup grain must be positive: " + grainMs);
        }
        if ((aggregation == AggregationType.percentile) != (percentile != null)
                || (percentile != null && !(percentile > 0 && percentile <= 100))) {
            throw new IllegalArgumentException("a percentile rollup needs its percentile in (0, 100], no other one: " + aggregation + " " + percentile);
        }
    }

    /** The rollups of a Metric, one per {@code serving.rollupsMs}; none for other kinds. */
    public static List<RollupLayout> of(AnalysisPlan plan) {
        if (plan.kind() != AnalysisKind.Metric) {
            return List.of();
        }
        TableLayout detail = TableLayout.of(plan);
        return plan.serving().rollupsMs().stream().map(g -> of(detail, plan.metric(), g)).toList();
    }

    /** A rollup of a Metric's detail table. */
    public static RollupLayout of(TableLayout detail, MetricPlan metric, long grainMs) {
        return new RollupLayout(detail, metric.aggregation(),
                metric.aggregation() == AggregationType.percentile ? metric.percentile() : null, grainMs);
    }

    /** A rollup from its parts, for an aggregation other than percentile (which needs its percentile). */
    public static RollupLayout of(TableLayout detail, AggregationType aggregation, long grainMs) {
        return new RollupLayout(detail, aggregation, null, grainMs);
    }

    /** Whether an aggregation's per-window values combine exactly into coarser windows or fewer dimensions. */
    public static boolean reaggregates(AggregationType aggregation) {
        return REAGGREGATES.contains(aggregation);
    }

    /**
     * Whether an aggregation's rollups combine the detail rows' merge state rather than their
     * values (countDistinct, percentile): a rollup answers its own grain, grouped by every dimension.
     */
    public static boolean merges(AggregationType aggregation) {
        return aggregation == AggregationType.countDistinct || aggregation == AggregationType.percentile;
    }

    /** The rollup table's name: {@code <detail>_r<grain>} ({@code mt_orders_ab12_r1h}), hashed when too long. */
    public static String rollupTable(String detailTable, long grainMs) {
        return Names.identifier(detailTable, "r" + Durations.format(grainMs));
    }

    /** The rollup table: the detail table's key, {@link #ROLLUP_VALUES} and the merged state ({@link TableLayout#metricState}). */
    public TableLayout table() {
        return TableLayout.of(detail.schema(), rollupTable(detail.table(), grainMs), detail.dimensionColumns(), ROLLUP_VALUES,
                TableLayout.metricState(aggregation));
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
     * {@link #refreshSql(RollupLayout, boolean)} from the next finer of {@code grains} (the window
     * size first, then the rollups finest first): the detail table, or the finer rollup.
     */
    public String refreshSql(List<Long> grains, boolean touchedOnly) {
        long source = sourceGrain(grains, grainMs);
        return refreshSql(source == grains.get(0) ? null : new RollupLayout(detail, aggregation, percentile, source), touchedOnly);
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
    public String refreshSql(RollupLayout source, boolean touchedOnly) {
        if (source != null && (source.grainMs >= grainMs || grainMs % source.grainMs != 0 || !source.detail.qualifiedName().equals(detail.qualifiedName()))) {
            throw new IllegalArgumentException("a " + grainMs + " ms rollup cannot be computed from the " + source.grainMs + " ms one");
        }
        String from = source == null ? detail.qualifiedName() : source.table().qualifiedName();
        String interval = TableLayout.interval(grainMs);
        List<String> dims = detail.dimensionColumns().stream().map(TableLayout::quote).toList();
        boolean merge = merges(aggregation);
        // merged state is recomputed per bucket (LATERAL), also when every bucket is refilled
        boolean perBucket = touchedOnly || merge;
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
        } else if (merge) {
            sql.append("WITH touched AS (SELECT DISTINCT ").append(TableLayout.bucket(grainMs, "s." + WINDOW_START)).append(" AS b");
            dims.forEach(d -> sql.append(", s.").append(d));
            sql.append(" FROM ").append(from).append(" AS s) ");
        }
        if (perBucket) {
            b = "touched.b";
            groupDims = dims.stream().map(d -> "touched." + d).toList();
        } else {
            b = TableLayout.bucket(grainMs, "s." + WINDOW_START);
            groupDims = dims.stream().map(d -> "s." + d).toList();
        }
        // the bucket's values, in ROLLUP_VALUES order, then final; for merged aggregations the first
        // is whether every row carries its merge state (rows written before it existed do not)
        TableLayout.Column state = aggregation == AggregationType.countDistinct ? TableLayout.DISTINCT_VALUES : TableLayout.SKETCH_COUNTS;
        List<String> aggs = new ArrayList<>();
        if (source == null) {
            aggs.add(merge ? "bool_and(s." + state.quoted() + " IS NOT NULL)" : combinedValue(aggregation, false));
            aggs.add("coalesce(sum(s." + NUMERATOR + "), 0)");
            aggs.add("coalesce(sum(s." + DENOMINATOR + "), 0)");
            aggs.add("count(*)");
            aggs.add("count(*) FILTER (WHERE NOT s." + FINAL + ")");
            aggs.add(aggregation == AggregationType.avg ? "coalesce(sum(s." + VALUE + " * s." + DENOMINATOR + "), 0)"
                    : "coalesce(sum(s." + VALUE + "), 0)");
            aggs.add("count(s." + VALUE + ")");
            aggs.add("bool_and(s." + FINAL + ")");
        } else {
            aggs.add(merge ? "bool_and(s." + state.quoted() + " IS NOT NULL)" : combinedValue(aggregation, true));
            for (TableLayout.Column c : ROLLUP_VALUES.subList(1, ROLLUP_VALUES.size())) {
                aggs.add("sum(s." + c.quoted() + ")");
            }
            aggs.add("sum(s." + PROVISIONAL_COUNT.quoted() + ") = 0");
        }
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < aggs.size(); i++) {
            columns.add(perBucket ? "x.a" + i : aggs.get(i));
        }
        String complete = columns.get(0);
        String fin = columns.remove(columns.size() - 1);
        if (merge) {
            columns.set(0, "CASE WHEN " + complete + " THEN y.value END");
        }
        columns.addAll(mergedState(complete));
        columns.add(fin);
        sql.append("INSERT INTO ").append(table().qualifiedName()).append(" AS r (").append(allColumns()).append(") SELECT ")
                .append(b).append(", ").append(b).append(" + ").append(interval);
        groupDims.forEach(d -> sql.append(", ").append(d));
        columns.forEach(col -> sql.append(", ").append(col));
        sql.append(", now() FROM ");
        if (perBucket) {
            // one index range scan of the source per touched bucket (LATERAL), whatever the source's size
            StringBuilder inBucket = new StringBuilder(" WHERE s.").append(WINDOW_START).append(" >= touched.b AND s.")
                    .append(WINDOW_START).append(" < touched.b + ").append(interval);
            dims.forEach(d -> inBucket.append(" AND s.").append(d).append(" = touched.").append(d));
            sql.append("touched CROSS JOIN LATERAL (SELECT ");
            for (int i = 0; i < aggs.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(aggs.get(i)).append(" AS a").append(i);
            }
            sql.append(" FROM ").append(from).append(" AS s").append(inBucket).append(") AS x");
            if (merge) {
                sql.append(" CROSS JOIN LATERAL (").append(mergeSql(from, inBucket.toString())).append(") AS y");
            }
            // a3 is the bucket's row count: none (null or 0) means nothing to write
            sql.append(" WHERE x.a3 > 0");
        } else {
            sql.append(from).append(" AS s GROUP BY ").append(String.join(", ", prepend(b, groupDims)));
        }
        sql.append(" ON CONFLICT (").append(String.join(", ", table().keyColumns().stream().map(TableLayout::quote).toList()))
                .append(") DO UPDATE SET ");
        List<String> compared = new ArrayList<>();
        for (TableLayout.Column c : table().writtenColumns()) {
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
     * The merged state of a bucket, in {@link TableLayout#metricState} order (none for
     * aggregations that combine from values); null when a row of the bucket has no state.
     */
    private List<String> mergedState(String complete) {
        return switch (aggregation) {
            case countDistinct -> List.of("CASE WHEN " + complete + " THEN coalesce(y.members, '{}') END");
            case percentile -> List.of("CASE WHEN " + complete + " THEN coalesce(y.bin_values, '{}') END",
                    "CASE WHEN " + complete + " THEN coalesce(y.bin_counts, '{}') END");
            default -> List.of();
        };
    }

    /**
     * The merged state of one bucket's source rows and its value: for countDistinct the union of
     * their distinct values ({@code members}) and its size; for percentile their DDSketch bins
     * summed per representative value ({@code bin_values} ascending, {@code bin_counts}) and the
     * quantile the sketch would answer: the first bin whose cumulative count exceeds q·(n−1)
     * ({@code DDSketch.getValueAtQuantile}, computed in the same double arithmetic).
     */
    private String mergeSql(String from, String inBucket) {
        if (aggregation == AggregationType.countDistinct) {
            String v = TableLayout.DISTINCT_VALUES.quoted();
            return "SELECT array_agg(DISTINCT m.v ORDER BY m.v) AS members, coalesce(count(DISTINCT m.v), 0)::double precision AS value FROM "
                    + from + " AS s CROSS JOIN unnest(s." + v + ") AS m(v)" + inBucket;
        }
        // printed from the double the job uses (percentile / 100.0): the same rank, bit for bit
        String q = "CAST('" + (percentile / 100.0) + "' AS double precision)";
        return "SELECT min(c.v) FILTER (WHERE c.cum > " + q + " * (c.total - 1)) AS value, array_agg(c.v ORDER BY c.v) AS bin_values, "
                + "array_agg(c.n ORDER BY c.v) AS bin_counts FROM (SELECT bins.v, bins.n, "
                + "(sum(bins.n) OVER (ORDER BY bins.v))::double precision AS cum, (sum(bins.n) OVER ())::double precision AS total "
                + "FROM (SELECT u.v, sum(u.n)::bigint AS n FROM " + from + " AS s CROSS JOIN unnest(s." + TableLayout.SKETCH_VALUES.quoted()
                + ", s." + TableLayout.SKETCH_COUNTS.quoted() + ") AS u(v, n)" + inBucket + " GROUP BY u.v) AS bins) AS c";
    }

    /**
     * Fills or refreshes every bucket of this rollup from the detail rows (a bulk load that wrote
     * the detail table directly, as the serving benchmark's does): {@link #refreshSql} over all rows.
     */
    public String backfillSql() {
        return refreshSql((RollupLayout) null, false);
    }

    /** Every column of a rollup row, quoted: key, {@link #ROLLUP_VALUES}, merged state (if any), final, updated_at. */
    private String allColumns() {
        List<String> cols = new ArrayList<>(detail.keyColumns());
        table().writtenColumns().forEach(c -> cols.add(c.name()));
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
