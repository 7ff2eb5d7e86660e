package dev.pulse.api.serving;

import dev.pulse.api.compile.Names;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.v1alpha1.common.Durations;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A Metric's rollup table for one coarse grain ({@code serving.rollups}), kept up to date by a
 * row trigger on the detail table: each insert or update of a detail row adds its difference to
 * the rollup row of its bucket, so the rollup is incremental, transactional with the detail write
 * and idempotent under replay (re-upserting an identical row adds zero).
 *
 * <p>Only aggregations whose coarse value follows exactly from the detail rows get rollups
 * ({@link #reaggregates}): count and sum (sums), min and max (min/max; a detail update that moves
 * a bucket's extreme the other way recomputes that bucket), ratio (sums of numerator and
 * denominator), avg (the detail row's {@code denominator} carries its weight, the number of values
 * averaged; the rollup keeps the weighted sum). countDistinct and percentile cannot be combined
 * from per-window results: they have no rollups and are served at their window grain only.
 *
 * <p>Columns: the detail layout's key and {@link TableLayout#METRIC_VALUES} (same names, so the
 * same reader serves both), {@code final} (every detail row in it is final), and helpers
 * {@code row_count}, {@code provisional_count}, {@code value_sum}, {@code value_count}.
 */
public final class RollupLayout {
    private static final Set<AggregationType> REAGGREGATES = EnumSet.of(AggregationType.count, AggregationType.sum,
            AggregationType.min, AggregationType.max, AggregationType.ratio, AggregationType.avg);

    /** Rollup value columns: the Metric ones plus what incremental maintenance needs. */
    public static final List<TableLayout.Column> ROLLUP_VALUES = List.of(
            new TableLayout.Column("value", "double precision"),
            new TableLayout.Column("numerator", "bigint"),
            new TableLayout.Column("denominator", "bigint"),
            new TableLayout.Column("row_count", "bigint"),
            new TableLayout.Column("provisional_count", "bigint"),
            new TableLayout.Column("value_sum", "double precision"),
            new TableLayout.Column("value_count", "bigint"));

    private final TableLayout detail;
    private final TableLayout rollup;
    private final AggregationType aggregation;
    private final long grainMs;

    private RollupLayout(TableLayout detail, AggregationType aggregation, long grainMs) {
        if (!reaggregates(aggregation)) {
            throw new IllegalArgumentException("no rollups for " + aggregation + ": per-window results cannot be combined");
        }
        if (grainMs <= 0) {
            throw new IllegalArgumentException("rollup grain must be positive: " + grainMs);
        }
        this.detail = detail;
        this.aggregation = aggregation;
        this.grainMs = grainMs;
        this.rollup = TableLayout.of(detail.schema(), rollupTable(detail.table(), grainMs), detail.dimensionColumns(), ROLLUP_VALUES);
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

    public TableLayout table() {
        return rollup;
    }

    public TableLayout detail() {
        return detail;
    }

    public long grainMs() {
        return grainMs;
    }

    public AggregationType aggregation() {
        return aggregation;
    }

    /**
     * The SQL expression of a combined value over a group of rows, for an aggregation that
     * {@link #reaggregates}: the same expression builds rollups and answers coarse queries.
     *
     * @param fromRollup whether the rows are rollup rows (avg uses their weighted sum) or detail rows
     */
    public static String combinedValue(AggregationType aggregation, boolean fromRollup) {
        return switch (aggregation) {
            case count, sum -> "sum(\"value\")";
            case min -> "min(\"value\")";
            case max -> "max(\"value\")";
            case ratio -> "sum(\"numerator\")::double precision / nullif(sum(\"denominator\"), 0)";
            case avg -> (fromRollup ? "sum(\"value_sum\")" : "sum(\"value\" * \"denominator\")")
                    + " / nullif(sum(\"denominator\"), 0)";
            default -> throw new IllegalArgumentException("'" + aggregation + "' values cannot be combined");
        };
    }

    /** {@code date_bin} of a timestamp expression to this grain, aligned to the UTC epoch. */
    private String bucket(String timestamp) {
        return "date_bin(interval '" + grainMs + " milliseconds', " + timestamp + ", timestamptz '1970-01-01 00:00:00+00')";
    }

    private String interval() {
        return "interval '" + grainMs + " milliseconds'";
    }

    /** The trigger function's name, in the detail table's schema. */
    public String functionName() {
        return Names.identifier("pulse_rollup", rollup.table());
    }

    /** The trigger's name on the detail table. */
    public String triggerName() {
        return Names.identifier("pulse_rollup", Durations.format(grainMs));
    }

    /** {@code CREATE OR REPLACE FUNCTION}: the plpgsql row trigger that maintains this rollup. */
    public String createFunctionSql() {
        String q = TableLayout.quote("value");
        boolean avg = aggregation == AggregationType.avg;
        String contribution = avg ? "coalesce(%1$s.\"value\" * %1$s.\"denominator\", 0)" : "coalesce(%1$s.\"value\", 0)";
        List<String> dims = detail.dimensionColumns();
        StringBuilder f = new StringBuilder();
        f.append("CREATE OR REPLACE FUNCTION ").append(TableLayout.quote(rollup.schema())).append('.')
                .append(TableLayout.quote(functionName())).append("() RETURNS trigger LANGUAGE plpgsql AS $pulse$\n")
                .append("DECLARE\n  b timestamptz := ").append(bucket("NEW.\"window_start\"")).append(";\n")
                .append("  d_rows bigint := 1;\n  d_prov bigint := (NOT NEW.\"final\")::int;\n")
                .append("  d_sum double precision := ").append(String.format(contribution, "NEW")).append(";\n")
                .append("  d_cnt bigint := (NEW.\"value\" IS NOT NULL)::int;\n")
                .append("  d_num bigint := coalesce(NEW.\"numerator\", 0);\n  d_den bigint := coalesce(NEW.\"denominator\", 0);\n")
                .append("BEGIN\n  IF TG_OP = 'UPDATE' THEN\n    d_rows := 0;\n")
                .append("    d_prov := d_prov - (NOT OLD.\"final\")::int;\n")
                .append("    d_sum := d_sum - ").append(String.format(contribution, "OLD")).append(";\n")
                .append("    d_cnt := d_cnt - (OLD.\"value\" IS NOT NULL)::int;\n")
                .append("    d_num := d_num - coalesce(OLD.\"numerator\", 0);\n    d_den := d_den - coalesce(OLD.\"denominator\", 0);\n")
                .append("  END IF;\n");
        List<String> cols = new ArrayList<>(rollup.keyColumns());
        List<String> values = new ArrayList<>(List.of("b", "b + " + interval()));
        dims.forEach(d -> values.add("NEW." + TableLayout.quote(d)));
        cols.addAll(List.of("value", "numerator", "denominator", "row_count", "provisional_count", "value_sum", "value_count",
                TableLayout.FINAL, TableLayout.UPDATED_AT));
        values.addAll(List.of(switch (aggregation) {
            case min, max -> "NEW.\"value\"";
            case count, sum -> "CASE WHEN d_cnt = 0 THEN NULL ELSE d_sum END";
            case avg -> "d_sum / nullif(d_den, 0)";
            default -> "d_num::double precision / nullif(d_den, 0)";
        }, "d_num", "d_den", "d_rows", "d_prov", "d_sum", "d_cnt", "d_prov = 0", "now()"));
        f.append("  INSERT INTO ").append(rollup.qualifiedName()).append(" AS r (")
                .append(String.join(", ", cols.stream().map(TableLayout::quote).toList())).append(")\n  VALUES (")
                .append(String.join(", ", values)).append(")\n  ON CONFLICT (")
                .append(String.join(", ", rollup.keyColumns().stream().map(TableLayout::quote).toList()))
                .append(") DO UPDATE SET\n");
        for (String c : List.of("numerator", "denominator", "row_count", "provisional_count", "value_sum", "value_count")) {
            f.append("    ").append(TableLayout.quote(c)).append(" = r.").append(TableLayout.quote(c))
                    .append(" + EXCLUDED.").append(TableLayout.quote(c)).append(",\n");
        }
        f.append("    ").append(q).append(" = ").append(switch (aggregation) {
            case min -> "least(r.\"value\", EXCLUDED.\"value\")";
            case max -> "greatest(r.\"value\", EXCLUDED.\"value\")";
            case count, sum -> "CASE WHEN r.\"value_count\" + EXCLUDED.\"value_count\" = 0 THEN NULL "
                    + "ELSE r.\"value_sum\" + EXCLUDED.\"value_sum\" END";
            case avg -> "(r.\"value_sum\" + EXCLUDED.\"value_sum\") / nullif(r.\"denominator\" + EXCLUDED.\"denominator\", 0)";
            default -> "(r.\"numerator\" + EXCLUDED.\"numerator\")::double precision / nullif(r.\"denominator\" + EXCLUDED.\"denominator\", 0)";
        }).append(",\n");
        f.append("    \"final\" = r.\"provisional_count\" + EXCLUDED.\"provisional_count\" = 0,\n")
                .append("    \"updated_at\" = now();\n");
        if (aggregation == AggregationType.min || aggregation == AggregationType.max) {
            // the extreme may have moved away: recompute this bucket from the detail rows
            String worse = aggregation == AggregationType.max ? "NEW.\"value\" < OLD.\"value\"" : "NEW.\"value\" > OLD.\"value\"";
            f.append("  IF TG_OP = 'UPDATE' AND (").append(worse)
                    .append(" OR (NEW.\"value\" IS NULL AND OLD.\"value\" IS NOT NULL)) THEN\n")
                    .append("    UPDATE ").append(rollup.qualifiedName()).append(" AS r SET \"value\" = (SELECT ")
                    .append(aggregation).append("(x.\"value\") FROM ").append(detail.qualifiedName())
                    .append(" AS x WHERE x.\"window_start\" >= b AND x.\"window_start\" < b + ").append(interval());
            for (String d : dims) {
                f.append(" AND x.").append(TableLayout.quote(d)).append(" = NEW.").append(TableLayout.quote(d));
            }
            f.append(")\n    WHERE r.\"window_start\" = b AND r.\"window_end\" = b + ").append(interval());
            for (String d : dims) {
                f.append(" AND r.").append(TableLayout.quote(d)).append(" = NEW.").append(TableLayout.quote(d));
            }
            f.append(";\n  END IF;\n");
        }
        f.append("  RETURN NULL;\nEND\n$pulse$");
        return f.toString();
    }

    /** Drops and creates the trigger on the detail table (idempotent). */
    public List<String> createTriggerSql() {
        return List.of(
                "DROP TRIGGER IF EXISTS " + TableLayout.quote(triggerName()) + " ON " + detail.qualifiedName(),
                "CREATE TRIGGER " + TableLayout.quote(triggerName()) + " AFTER INSERT OR UPDATE ON " + detail.qualifiedName()
                        + " FOR EACH ROW EXECUTE FUNCTION " + TableLayout.quote(rollup.schema()) + "." + TableLayout.quote(functionName()) + "()");
    }

    /**
     * Fills an empty rollup from the detail rows already present (a rollup added to a running
     * Metric). Run under a lock that blocks detail writes, in the transaction that creates the trigger.
     */
    public String backfillSql() {
        String b = bucket(TableLayout.quote(TableLayout.WINDOW_START));
        List<String> dims = detail.dimensionColumns().stream().map(TableLayout::quote).toList();
        List<String> cols = new ArrayList<>(rollup.keyColumns().stream().map(TableLayout::quote).toList());
        cols.addAll(List.of("\"value\"", "\"numerator\"", "\"denominator\"", "\"row_count\"", "\"provisional_count\"",
                "\"value_sum\"", "\"value_count\"", "\"final\"", "\"updated_at\""));
        String sum = aggregation == AggregationType.avg ? "coalesce(sum(\"value\" * \"denominator\"), 0)" : "coalesce(sum(\"value\"), 0)";
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(rollup.qualifiedName()).append(" (")
                .append(String.join(", ", cols)).append(") SELECT ").append(b).append(", ").append(b).append(" + ").append(interval());
        dims.forEach(d -> sql.append(", ").append(d));
        sql.append(", ").append(combinedValue(aggregation, false))
                .append(", coalesce(sum(\"numerator\"), 0), coalesce(sum(\"denominator\"), 0), count(*), count(*) FILTER (WHERE NOT \"final\"), ")
                .append(sum).append(", count(\"value\"), bool_and(\"final\"), now() FROM ").append(detail.qualifiedName())
                .append(" GROUP BY ").append(String.join(", ", prepend(b, dims)))
                .append(" ON CONFLICT DO NOTHING");
        return sql.toString();
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> out = new ArrayList<>();
        out.add(first);
        out.addAll(rest);
        return out;
    }
}
