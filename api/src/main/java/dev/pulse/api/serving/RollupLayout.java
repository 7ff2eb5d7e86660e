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
 *
 * @param detail the Metric's detail table, whose trigger maintains the rollup
 * @param aggregation the Metric's aggregation; one that {@link #reaggregates}
 * @param grainMs the rollup's bucket size
 */
public record RollupLayout(TableLayout detail, AggregationType aggregation, long grainMs) {
    private static final Set<AggregationType> REAGGREGATES = EnumSet.of(AggregationType.count, AggregationType.sum,
            AggregationType.min, AggregationType.max, AggregationType.ratio, AggregationType.avg);

    // the helpers of incremental maintenance, beside the Metric value columns
    public static final TableLayout.Column ROW_COUNT = new TableLayout.Column("row_count", "bigint");
    public static final TableLayout.Column PROVISIONAL_COUNT = new TableLayout.Column("provisional_count", "bigint");
    public static final TableLayout.Column VALUE_SUM = new TableLayout.Column("value_sum", "double precision");
    public static final TableLayout.Column VALUE_COUNT = new TableLayout.Column("value_count", "bigint");

    /** Rollup value columns: the Metric ones, then the helpers, in the order the trigger and backfill write them. */
    public static final List<TableLayout.Column> ROLLUP_VALUES = List.of(TableLayout.VALUE, TableLayout.NUMERATOR,
            TableLayout.DENOMINATOR, ROW_COUNT, PROVISIONAL_COUNT, VALUE_SUM, VALUE_COUNT);

    private static final String VALUE = TableLayout.VALUE.quoted();
    private static final String NUMERATOR = TableLayout.NUMERATOR.quoted();
    private static final String DENOMINATOR = TableLayout.DENOMINATOR.quoted();
    private static final String FINAL = TableLayout.quote(TableLayout.FINAL);
    private static final String WINDOW_START = TableLayout.quote(TableLayout.WINDOW_START);
    private static final String WINDOW_END = TableLayout.quote(TableLayout.WINDOW_END);

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

    /** The trigger function's name, in the detail table's schema. */
    public String functionName() {
        return Names.identifier("pulse_rollup", table().table());
    }

    /** The trigger's name on the detail table. */
    public String triggerName() {
        return Names.identifier("pulse_rollup", Durations.format(grainMs));
    }

    /**
     * {@code CREATE OR REPLACE FUNCTION}: the plpgsql row trigger that maintains this rollup. It
     * computes the row's differences (delta_*: rows, provisional rows, value sum, value count,
     * numerator, denominator) and adds them to the bucket's rollup row.
     */
    public String createFunctionSql() {
        TableLayout rollup = table();
        boolean avg = aggregation == AggregationType.avg;
        String contribution = avg ? "coalesce(%1$s." + VALUE + " * %1$s." + DENOMINATOR + ", 0)" : "coalesce(%1$s." + VALUE + ", 0)";
        String interval = TableLayout.interval(grainMs);
        List<String> dims = detail.dimensionColumns();
        StringBuilder f = new StringBuilder();
        f.append("CREATE OR REPLACE FUNCTION ").append(TableLayout.quote(rollup.schema())).append('.')
                .append(TableLayout.quote(functionName())).append("() RETURNS trigger LANGUAGE plpgsql AS $pulse$\n")
                .append("DECLARE\n  b timestamptz := ").append(TableLayout.bucket(grainMs, "NEW." + WINDOW_START)).append(";\n")
                .append("  delta_rows bigint := 1;\n  delta_prov bigint := (NOT NEW.").append(FINAL).append(")::int;\n")
                .append("  delta_sum double precision := ").append(String.format(contribution, "NEW")).append(";\n")
                .append("  delta_cnt bigint := (NEW.").append(VALUE).append(" IS NOT NULL)::int;\n")
                .append("  delta_num bigint := coalesce(NEW.").append(NUMERATOR).append(", 0);\n")
                .append("  delta_den bigint := coalesce(NEW.").append(DENOMINATOR).append(", 0);\n")
                .append("BEGIN\n  IF TG_OP = 'UPDATE' THEN\n    delta_rows := 0;\n")
                .append("    delta_prov := delta_prov - (NOT OLD.").append(FINAL).append(")::int;\n")
                .append("    delta_sum := delta_sum - ").append(String.format(contribution, "OLD")).append(";\n")
                .append("    delta_cnt := delta_cnt - (OLD.").append(VALUE).append(" IS NOT NULL)::int;\n")
                .append("    delta_num := delta_num - coalesce(OLD.").append(NUMERATOR).append(", 0);\n")
                .append("    delta_den := delta_den - coalesce(OLD.").append(DENOMINATOR).append(", 0);\n")
                .append("  END IF;\n");
        List<String> values = new ArrayList<>(List.of("b", "b + " + interval));
        dims.forEach(d -> values.add("NEW." + TableLayout.quote(d)));
        // in ROLLUP_VALUES order, then final and updated_at
        values.addAll(List.of(switch (aggregation) {
            case min, max -> "NEW." + VALUE;
            case count, sum -> "CASE WHEN delta_cnt = 0 THEN NULL ELSE delta_sum END";
            case avg -> "delta_sum / nullif(delta_den, 0)";
            default -> "delta_num::double precision / nullif(delta_den, 0)";
        }, "delta_num", "delta_den", "delta_rows", "delta_prov", "delta_sum", "delta_cnt", "delta_prov = 0", "now()"));
        f.append("  INSERT INTO ").append(rollup.qualifiedName()).append(" AS r (").append(allColumns())
                .append(")\n  VALUES (").append(String.join(", ", values)).append(")\n  ON CONFLICT (")
                .append(String.join(", ", rollup.keyColumns().stream().map(TableLayout::quote).toList()))
                .append(") DO UPDATE SET\n");
        // every column but value adds up
        for (TableLayout.Column c : ROLLUP_VALUES.subList(1, ROLLUP_VALUES.size())) {
            f.append("    ").append(c.quoted()).append(" = r.").append(c.quoted()).append(" + EXCLUDED.").append(c.quoted()).append(",\n");
        }
        String valueSum = VALUE_SUM.quoted();
        String valueCount = VALUE_COUNT.quoted();
        f.append("    ").append(VALUE).append(" = ").append(switch (aggregation) {
            case min -> "least(r." + VALUE + ", EXCLUDED." + VALUE + ")";
            case max -> "greatest(r." + VALUE + ", EXCLUDED." + VALUE + ")";
            case count, sum -> "CASE WHEN r." + valueCount + " + EXCLUDED." + valueCount + " = 0 THEN NULL "
                    + "ELSE r." + valueSum + " + EXCLUDED." + valueSum + " END";
            case avg -> "(r." + valueSum + " + EXCLUDED." + valueSum + ") / nullif(r." + DENOMINATOR + " + EXCLUDED." + DENOMINATOR + ", 0)";
            default -> "(r." + NUMERATOR + " + EXCLUDED." + NUMERATOR + ")::double precision / nullif(r." + DENOMINATOR
                    + " + EXCLUDED." + DENOMINATOR + ", 0)";
        }).append(",\n");
        f.append("    ").append(FINAL).append(" = r.").append(PROVISIONAL_COUNT.quoted()).append(" + EXCLUDED.")
                .append(PROVISIONAL_COUNT.quoted()).append(" = 0,\n")
                .append("    ").append(TableLayout.quote(TableLayout.UPDATED_AT)).append(" = now();\n");
        if (aggregation == AggregationType.min || aggregation == AggregationType.max) {
            // the extreme may have moved away: recompute this bucket from the detail rows
            String worse = aggregation == AggregationType.max ? "NEW." + VALUE + " < OLD." + VALUE : "NEW." + VALUE + " > OLD." + VALUE;
            f.append("  IF TG_OP = 'UPDATE' AND (").append(worse)
                    .append(" OR (NEW.").append(VALUE).append(" IS NULL AND OLD.").append(VALUE).append(" IS NOT NULL)) THEN\n")
                    .append("    UPDATE ").append(rollup.qualifiedName()).append(" AS r SET ").append(VALUE).append(" = (SELECT ")
                    .append(aggregation).append("(x.").append(VALUE).append(") FROM ").append(detail.qualifiedName())
                    .append(" AS x WHERE x.").append(WINDOW_START).append(" >= b AND x.").append(WINDOW_START).append(" < b + ").append(interval);
            for (String d : dims) {
                f.append(" AND x.").append(TableLayout.quote(d)).append(" = NEW.").append(TableLayout.quote(d));
            }
            f.append(")\n    WHERE r.").append(WINDOW_START).append(" = b AND r.").append(WINDOW_END).append(" = b + ").append(interval);
            for (String d : dims) {
                f.append(" AND r.").append(TableLayout.quote(d)).append(" = NEW.").append(TableLayout.quote(d));
            }
            f.append(";\n  END IF;\n");
        }
        f.append("  RETURN NULL;\nEND\n$pulse$");
        return f.toString();
    }

    /** Every column of a rollup row, quoted: key, {@link #ROLLUP_VALUES}, final, updated_at. */
    private String allColumns() {
        List<String> cols = new ArrayList<>(detail.keyColumns());
        ROLLUP_VALUES.forEach(c -> cols.add(c.name()));
        cols.add(TableLayout.FINAL);
        cols.add(TableLayout.UPDATED_AT);
        return String.join(", ", cols.stream().map(TableLayout::quote).toList());
    }

    /** Drops and creates the trigger on the detail table (idempotent). */
    public List<String> createTriggerSql() {
        return List.of(
                "DROP TRIGGER IF EXISTS " + TableLayout.quote(triggerName()) + " ON " + detail.qualifiedName(),
                "CREATE TRIGGER " + TableLayout.quote(triggerName()) + " AFTER INSERT OR UPDATE ON " + detail.qualifiedName()
                        + " FOR EACH ROW EXECUTE FUNCTION " + TableLayout.quote(detail.schema()) + "." + TableLayout.quote(functionName()) + "()");
    }

    /**
     * Fills an empty rollup from the detail rows already present (a rollup added to a running
     * Metric). Run under a lock that blocks detail writes, in the transaction that creates the trigger.
     */
    public String backfillSql() {
        String b = TableLayout.bucket(grainMs, WINDOW_START);
        List<String> dims = detail.dimensionColumns().stream().map(TableLayout::quote).toList();
        String sum = aggregation == AggregationType.avg ? "coalesce(sum(" + VALUE + " * " + DENOMINATOR + "), 0)" : "coalesce(sum(" + VALUE + "), 0)";
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table().qualifiedName()).append(" (")
                .append(allColumns()).append(") SELECT ").append(b).append(", ").append(b).append(" + ").append(TableLayout.interval(grainMs));
        dims.forEach(d -> sql.append(", ").append(d));
        // in ROLLUP_VALUES order, then final and updated_at
        sql.append(", ").append(combinedValue(aggregation, false))
                .append(", coalesce(sum(").append(NUMERATOR).append("), 0), coalesce(sum(").append(DENOMINATOR)
                .append("), 0), count(*), count(*) FILTER (WHERE NOT ").append(FINAL).append("), ")
                .append(sum).append(", count(").append(VALUE).append("), bool_and(").append(FINAL).append("), now() FROM ")
                .append(detail.qualifiedName())
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
