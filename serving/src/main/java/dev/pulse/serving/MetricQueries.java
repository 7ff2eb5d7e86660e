package dev.pulse.serving;

import static dev.pulse.api.serving.TableLayout.quote;

import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.RollupLayout;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Reads a metric's points from the table its route picked. Totals (no dimension grouped) are a
 * time series paged by points. A breakdown is paged by series: the series (grouped dimension
 * values) are ranked by their aggregate over the whole range ({@link #rankValue}), best first,
 * ties by their values; a page holds the points of {@code top} of them, and for count and sum
 * {@code other} sums, per bucket, every series ranked after the page.
 */
final class MetricQueries {
    /** The default and largest number of series of a breakdown page ({@code top}). */
    static final int DEFAULT_TOP = 20;
    static final int MAX_TOP = 1000;

    private MetricQueries() {
    }

    /**
     * The points of a metric.
     *
     * @param progress the detail table's progress: a point built from a rollup or combined over
     *                 time is final only when its bucket ended at or before the latest final window
     * @param limit the most points of a page
     * @param top the most series of a breakdown page
     * @param at the page's start: points skipped (totals) or series skipped (a breakdown)
     */
    static Answers.Points points(Connection c, Catalog.Entry e, MetricRoute route, Selection sel, long grainMs,
            ServingSchema.Progress progress, int limit, int top, Cursor at) throws SQLException {
        AggregationType aggregation = e.plan().metric().aggregation();
        boolean ratio = aggregation == AggregationType.ratio;
        // a rollup has the detail table's columns (and helpers): read the detail row's columns from either
        TableLayout detail = e.detail();
        int firstGroup = detail.rowColumnCount() + 1;
        // a point covering more than one detail window needs the watermark past its end to be final
        boolean watermarkBound = route.rollup() || grainMs != e.windowMs();
        Instant latestFinal = progress.latestFinalWindowEnd();
        java.util.function.Function<Selection, Selection.RowReader<Answers.Point>> reader = of -> r -> {
            Instant start = r.getTimestamp(TableLayout.WINDOW_START).toInstant();
            Instant end = r.getTimestamp(TableLayout.WINDOW_END).toInstant();
            Long num = ratio ? r.getLong(TableLayout.NUMERATOR.name()) : null;
            Long den = ratio ? r.getLong(TableLayout.DENOMINATOR.name()) : null;
            boolean fin = r.getBoolean(TableLayout.FINAL)
                    && (!watermarkBound || (latestFinal != null && !end.isAfter(latestFinal)));
            return new Answers.Point(start.toString(), end.toString(), of.dimensions(r, firstGroup),
                    Selection.number(r, TableLayout.VALUE.name()), num, den, fin);
        };
        Selection.RowReader<Answers.Point> point = reader.apply(sel);
        if (sel.groupBy().isEmpty()) {
            String sql = route.combine() ? combined(e, route, sel, grainMs, "", "", "", "") + " ORDER BY 1, 2 LIMIT ? OFFSET ?"
                    : sel.selectRows(e, detail, route.table());
            Selection.Page<Answers.Point> page = sel.read(c, sql, limit, at, point);
            return new Answers.Points(page.rows(), null, page.next(at));
        }
        String groups = sel.groupColumns(e).substring(2);
        String ranked = "WITH s AS (SELECT " + groups + ", " + rankValue(aggregation, route.rollup()) + " AS total FROM "
                + route.table().qualifiedName() + sel.where(e) + " GROUP BY " + groups + "), "
                + "r AS (SELECT " + groups + ", row_number() OVER (ORDER BY total DESC NULLS LAST, " + groups + ") AS series_rank, "
                + "count(*) OVER () AS series_count FROM s) ";
        String join = " JOIN r USING (" + groups + ")";
        String sql;
        if (!route.combine()) {
            sql = ranked + "SELECT " + detail.rowSelectList() + sel.groupColumns(e) + ", r.series_count FROM " + route.table().qualifiedName()
                    + join + sel.where(e) + " AND r.series_rank > ? AND r.series_rank <= ? ORDER BY r.series_rank, "
                    + TableLayout.windowOrder() + " LIMIT ?";
        } else {
            sql = ranked + combined(e, route, sel, grainMs, ", r.series_count", join, " AND r.series_rank > ? AND r.series_rank <= ?",
                    ", r.series_rank, r.series_count") + " ORDER BY r.series_rank, 1, 2 LIMIT ?";
        }
        long[] seriesCount = {0};
        List<Answers.Point> points;
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = sel.bind(c, s, sel.bind(c, s));
            s.setLong(i++, at.offset());
            s.setLong(i++, at.offset() + top);
            s.setInt(i, limit + 1);
            points = Selection.rows(s, limit, r -> {
                seriesCount[0] = r.getLong("series_count");
                return point.read(r);
            });
        }
        long after = at.offset() + top;
        boolean more = seriesCount[0] > after;
        List<Answers.Point> other = null;
        if (aggregation == AggregationType.count || aggregation == AggregationType.sum) {
            Selection totals = new Selection(sel.from(), sel.to(), List.of(), sel.filters());
            other = more ? other(c, e, route, sel, totals, grainMs, ranked, join, after, limit, reader.apply(totals)) : List.of();
        }
        return new Answers.Points(points, other, more ? at.after(top) : null);
    }

    /** Per bucket, the sum of the series ranked after {@code after}; no dimensions. */
    private static List<Answers.Point> other(Connection c, Catalog.Entry e, MetricRoute route, Selection sel, Selection totals, long grainMs,
            String ranked, String join, long after, int limit, Selection.RowReader<Answers.Point> point) throws SQLException {
        String sql = ranked + combined(e, route, totals, grainMs, "", join, " AND r.series_rank > ?", "") + " ORDER BY 1, 2 LIMIT ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = sel.bind(c, s, sel.bind(c, s));
            s.setLong(i++, after);
            s.setInt(i, limit + 1);
            return Selection.rows(s, limit, point);
        }
    }

    /**
     * What ranks the series of a breakdown: the aggregation over the whole range where values
     * combine exactly; for countDistinct and percentile (which do not), the largest window's value.
     */
    static String rankValue(AggregationType aggregation, boolean fromRollup) {
        return RollupLayout.reaggregates(aggregation) ? RollupLayout.combinedValue(aggregation, fromRollup)
                : "max(" + TableLayout.VALUE.quoted() + ")";
    }

    /**
     * The columns of a whole row, combined per bucket of the grain (and over the dimensions not
     * grouped by): {@code SELECT … FROM table <join> WHERE … <and> GROUP BY <bucket, groups><extraGroup>}.
     */
    private static String combined(Catalog.Entry e, MetricRoute route, Selection sel, long grainMs, String extraColumns, String join,
            String and, String extraGroup) {
        AggregationType aggregation = e.plan().metric().aggregation();
        String start = quote(TableLayout.WINDOW_START);
        boolean sameGrain = grainMs == route.tableGrainMs();
        String bucket = sameGrain ? start : TableLayout.bucket(grainMs, start);
        String end = sameGrain ? quote(TableLayout.WINDOW_END) : bucket + " + " + TableLayout.interval(grainMs);
        StringBuilder positions = new StringBuilder("1, 2");
        for (int k = 0; k < sel.groupBy().size(); k++) {
            positions.append(", ").append(e.detail().rowColumnCount() + 1 + k);
        }
        return "SELECT " + as(bucket, TableLayout.WINDOW_START) + ", " + as(end, TableLayout.WINDOW_END) + ", "
                + as(RollupLayout.combinedValue(aggregation, route.rollup()), TableLayout.VALUE.name()) + ", "
                + as("sum(" + TableLayout.NUMERATOR.quoted() + ")", TableLayout.NUMERATOR.name()) + ", "
                + as("sum(" + TableLayout.DENOMINATOR.quoted() + ")", TableLayout.DENOMINATOR.name()) + ", "
                + as("bool_and(" + quote(TableLayout.FINAL) + ")", TableLayout.FINAL) + sel.groupColumns(e) + extraColumns
                + " FROM " + route.table().qualifiedName() + join + sel.where(e) + and + " GROUP BY " + positions + extraGroup;
    }

    private static String as(String expression, String column) {
        return expression + " AS " + quote(column);
    }
}
