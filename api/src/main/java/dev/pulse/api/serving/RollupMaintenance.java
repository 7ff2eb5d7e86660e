package dev.pulse.api.serving;

import dev.pulse.api.plan.MetricPlan;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import java.io.Serializable;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a Metric's rollups up to date from its writer, in the writer's transaction: after a batch
 * of detail rows is upserted, {@link #afterUpsert} recomputes the rollup buckets the batch touched,
 * one set-based statement per rollup, finest grain first ({@link RollupLayout#refreshSql}). The
 * rollups are the ones the catalog lists for the detail table at that moment (read in the same
 * transaction), so a rollup added to a running Metric is maintained from its next write on without
 * restarting the job; its backfill ({@link ServingSchema}) covers the rows written before.
 * Without a catalog (a pipeline that creates its own table) there are no rollups.
 *
 * <p>Serializable, so a pipeline sink carries it to its task managers; the prepared statements
 * belong to the connection and are kept per connection.
 */
public final class RollupMaintenance implements Serializable {
    private static final long serialVersionUID = 2L;

    private final TableLayout detail;
    private final AggregationType aggregation;
    /** A percentile Metric's percentile, null otherwise. */
    private final Double percentile;
    private transient Connection preparedFor;
    private transient Map<Refresh, PreparedStatement> statements;

    /** A rollup grain and the grain it is refreshed from (the window size: the detail table). */
    private record Refresh(long grain, long sourceGrain) {
    }
    private transient PreparedStatement grainsQuery;
    private transient boolean catalogSeen;

    /** The maintenance of the rollups of a Metric's detail table, for an aggregation other than percentile; null: nothing to do. */
    public RollupMaintenance(TableLayout detail, AggregationType aggregation) {
        this(detail, aggregation, null);
    }

    /** The maintenance of the rollups of a Metric's detail table. */
    public RollupMaintenance(TableLayout detail, MetricPlan metric) {
        this(detail, metric.aggregation(), metric.aggregation() == AggregationType.percentile ? metric.percentile() : null);
    }

    private RollupMaintenance(TableLayout detail, AggregationType aggregation, Double percentile) {
        this.detail = detail;
        this.aggregation = aggregation;
        this.percentile = percentile;
    }

    /**
     * Recomputes the rollup buckets of rows just upserted on {@code c}, in its current
     * transaction (call it before the commit that makes the detail rows visible).
     *
     * @param windowStartsMs each row's window start, epoch milliseconds
     * @param dimensions each row's stored dimension values ({@link TableLayout#storedDimension}), in column order
     * @return the number of rollups refreshed
     */
    public int afterUpsert(Connection c, long[] windowStartsMs, List<String[]> dimensions) throws SQLException {
        if (aggregation == null || windowStartsMs.length == 0) {
            return 0;
        }
        if (preparedFor != c) {
            preparedFor = c;
            statements = new HashMap<>();
            grainsQuery = null;
            catalogSeen = false;
        }
        List<Long> grains = grains(c);
        if (grains.size() < 2) {
            return 0;
        }
        Long[] starts = Arrays.stream(windowStartsMs).boxed().toArray(Long[]::new);
        Array startsArray = c.createArrayOf("bigint", starts);
        List<Array> dimArrays = new ArrayList<>();
        for (int d = 0; d < detail.dimensionColumns().size(); d++) {
            String[] column = new String[windowStartsMs.length];
            for (int i = 0; i < column.length; i++) {
                column[i] = dimensions.get(i)[d];
            }
            dimArrays.add(c.createArrayOf("text", column));
        }
        for (long grain : grains.subList(1, grains.size())) {
            // prepared once per connection for a grain and the grain it is refreshed from (the SQL is built only then)
            Refresh key = new Refresh(grain, RollupLayout.sourceGrain(grains, grain));
            PreparedStatement s = statements.get(key);
            if (s == null) {
                s = c.prepareStatement(new RollupLayout(detail, aggregation, percentile, grain).refreshSql(grains, true));
                statements.put(key, s);
            }
            int i = 1;
            s.setArray(i++, startsArray);
            for (Array a : dimArrays) {
                s.setArray(i++, a);
            }
            s.executeUpdate();
        }
        return grains.size() - 1;
    }

    /** The catalog's grains of this detail table (window size, then rollups finest first); empty without a catalog or row. */
    private List<Long> grains(Connection c) throws SQLException {
        if (!catalogSeen) {
            if (!Catalog.grainsFunctionExists(c)) {
                return List.of();
            }
            catalogSeen = true;
        }
        if (grainsQuery == null) {
            // through the catalog's function: a pipeline's own role may not read the catalog itself
            grainsQuery = c.prepareStatement("SELECT " + Catalog.ROLLUP_GRAINS + "(?, ?)");
        }
        grainsQuery.setString(1, detail.schema());
        grainsQuery.setString(2, detail.table());
        try (ResultSet r = grainsQuery.executeQuery()) {
            if (!r.next() || r.getArray(1) == null) {
                return List.of();
            }
            List<Long> grains = new ArrayList<>(Arrays.asList((Long[]) r.getArray(1).getArray()));
            List<Long> rollups = new ArrayList<>(grains.subList(1, grains.size()));
            rollups.sort(Long::compare);
            List<Long> out = new ArrayList<>(List.of(grains.get(0)));
            out.addAll(rollups);
            return out;
        }
    }
}
