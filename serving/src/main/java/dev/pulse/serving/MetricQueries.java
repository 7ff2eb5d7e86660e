package dev.pulse.serving;

import static dev.pulse.api.serving.TableLayout.quote;

import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.RollupLayout;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** Reads a metric's points from the table its route picked. */
final class MetricQueries {
    private MetricQueries() {
    }

    /**
     * The points of a metric.
     *
     * @param progress the detail table's progress: a point built from a rollup or combined over
     *                 time is final only when its bucket ended at or before the latest final window
     * @param limit the most points; one more found is a 400
     */
    static Answers.Points points(Connection c, Catalog.Entry e, MetricRoute route, Selection sel, long grainMs,
            ServingSchema.Progress progress, int limit) throws SQLException {
        AggregationType aggregation = e.plan().metric().aggregation();
        boolean ratio = aggregation == AggregationType.ratio;
        // a rollup has the detail table's columns (and helpers): read the detail row's columns from either
        TableLayout detail = e.detail();
        int firstGroup = detail.rowColumnCount() + 1;
        String sql;
        if (!route.combine()) {
            sql = sel.selectRows(e, detail, route.table());
        } else {
            // the same columns as a whole row, combined per bucket (and over the dimensions not grouped by)
            String start = quote(TableLayout.WINDOW_START);
            boolean sameGrain = grainMs == route.tableGrainMs();
            String bucket = sameGrain ? start : TableLayout.bucket(grainMs, start);
            String end = sameGrain ? quote(TableLayout.WINDOW_END) : bucket + " + " + TableLayout.interval(grainMs);
            StringBuilder positions = new StringBuilder("1, 2");
            for (int k = 0; k < sel.groupBy().size(); k++) {
                positions.append(", ").append(firstGroup + k);
            }
            sql = "SELECT " + as(bucket, TableLayout.WINDOW_START) + ", " + as(end, TableLayout.WINDOW_END) + ", "
                    + as(RollupLayout.combinedValue(aggregation, route.rollup()), TableLayout.VALUE.name()) + ", "
                    + as("sum(" + TableLayout.NUMERATOR.quoted() + ")", TableLayout.NUMERATOR.name()) + ", "
                    + as("sum(" + TableLayout.DENOMINATOR.quoted() + ")", TableLayout.DENOMINATOR.name()) + ", "
                    + as("bool_and(" + quote(TableLayout.FINAL) + ")", TableLayout.FINAL) + sel.groupColumns(e)
                    + " FROM " + route.table().qualifiedName() + sel.where(e)
                    + " GROUP BY " + positions + " ORDER BY " + positions + " LIMIT ?";
        }
        // a point covering more than one detail window needs the watermark past its end to be final
        boolean watermarkBound = route.rollup() || grainMs != e.windowMs();
        Instant latestFinal = progress.latestFinalWindowEnd();
        return new Answers.Points(sel.read(c, sql, limit, r -> {
            Instant start = r.getTimestamp(TableLayout.WINDOW_START).toInstant();
            Instant end = r.getTimestamp(TableLayout.WINDOW_END).toInstant();
            Long num = ratio ? r.getLong(TableLayout.NUMERATOR.name()) : null;
            Long den = ratio ? r.getLong(TableLayout.DENOMINATOR.name()) : null;
            boolean fin = r.getBoolean(TableLayout.FINAL)
                    && (!watermarkBound || (latestFinal != null && !end.isAfter(latestFinal)));
            return new Answers.Point(start.toString(), end.toString(), sel.dimensions(r, firstGroup),
                    Selection.number(r, TableLayout.VALUE.name()), num, den, fin);
        }));
    }

    private static String as(String expression, String column) {
        return expression + " AS " + quote(column);
    }
}
