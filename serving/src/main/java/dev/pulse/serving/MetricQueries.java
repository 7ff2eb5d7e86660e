package dev.pulse.serving;

import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.RollupLayout;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
        String t = route.table().qualifiedName();
        String groups = sel.groupColumns(e);
        String sql;
        if (!route.combine()) {
            sql = "SELECT \"window_start\", \"window_end\", \"value\", \"numerator\", \"denominator\", \"final\"" + groups
                    + " FROM " + t + sel.where(e) + " ORDER BY \"window_start\", \"window_end\"" + groups + " LIMIT ?";
        } else {
            boolean sameGrain = grainMs == route.tableGrainMs();
            String bucket = sameGrain ? "\"window_start\""
                    : "date_bin(interval '" + grainMs + " milliseconds', \"window_start\", timestamptz '1970-01-01 00:00:00+00')";
            String end = sameGrain ? "\"window_end\"" : bucket + " + interval '" + grainMs + " milliseconds'";
            StringBuilder positions = new StringBuilder("1, 2");
            for (int k = 0; k < sel.groupBy().size(); k++) {
                positions.append(", ").append(7 + k);
            }
            sql = "SELECT " + bucket + ", " + end + ", " + RollupLayout.combinedValue(aggregation, route.rollup())
                    + ", sum(\"numerator\"), sum(\"denominator\"), bool_and(\"final\")" + groups + " FROM " + t + sel.where(e)
                    + " GROUP BY " + positions + " ORDER BY " + positions + " LIMIT ?";
        }
        // a point covering more than one detail window needs the watermark past its end to be final
        boolean watermarkBound = route.rollup() || grainMs != e.windowMs();
        Instant latestFinal = progress.latestFinalWindowEnd();
        List<Answers.Point> points = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = sel.bind(c, s);
            s.setInt(i, limit + 1);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (points.size() == limit) {
                        throw tooMany(limit);
                    }
                    Instant start = r.getTimestamp(1).toInstant();
                    Instant end = r.getTimestamp(2).toInstant();
                    double v = r.getDouble(3);
                    Double value = r.wasNull() ? null : v;
                    Long num = ratio ? r.getLong(4) : null;
                    Long den = ratio ? r.getLong(5) : null;
                    boolean fin = r.getBoolean(6)
                            && (!watermarkBound || (latestFinal != null && !end.isAfter(latestFinal)));
                    points.add(new Answers.Point(start.toString(), end.toString(), sel.dimensions(r, 7), value, num, den, fin));
                }
            }
        }
        return new Answers.Points(points);
    }

    static ApiError.BadParameter tooMany(int limit) {
        return new ApiError.BadParameter("the answer has more than " + limit + " rows (limit): narrow the range, "
                + "coarsen the grain, group by fewer dimensions or filter");
    }
}
