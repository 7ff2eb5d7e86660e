package dev.pulse.api.serving;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one definition of an analysis's serving (detail) table in PostgreSQL: its DDL and its upsert.
 * The pipeline writes rows with {@link #upsertSql()}; the serving API reads them with the same
 * column names. Identifiers are validated and always quoted; values are always bound.
 *
 * <p>Columns, in order: {@code window_start timestamptz}, {@code window_end timestamptz}, one
 * {@code text} column per dimension ({@code d_<dimension>}, from {@code ServingPlan.columns}), the
 * value columns of the kind ({@link #valueColumns()}), {@code final boolean} and
 * {@code updated_at timestamptz}.
 *
 * <p>Primary key: {@code (window_start, window_end, d_...)}. {@code window_end} is part of it
 * because cumulative windows share their start ({@code [start, start+j·step)} for every j);
 * for tumbling and hopping windows the end follows from the start.
 *
 * <p>A missing dimension value must be a valid key, and PostgreSQL 14 (the embedded one) has no
 * {@code NULLS NOT DISTINCT}. So dimension columns are {@code NOT NULL} and a missing value is
 * stored as {@link #NULL_DIMENSION}; readers map it back to JSON null with {@link #dimensionValue}.
 * A real value equal to the sentinel would read back as null; the sentinel is a single control
 * picture character (U+2400) no product event is expected to carry.
 */
public final class TableLayout {
    /** What a missing (or JSON null) dimension value is stored as. */
    public static final String NULL_DIMENSION = "\u2400";
    /** Identifiers this class accepts: what the compiler derives (lowercase, digits, '_'). */
    private static final Pattern IDENTIFIER = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");

    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";
    public static final String FINAL = "final";
    public static final String UPDATED_AT = "updated_at";

    /** A value column of a kind: its name and PostgreSQL type. */
    public record Column(String name, String sqlType) {
    }

    /** Metric value columns: value (null when undefined), and a ratio's two counts (null otherwise). */
    public static final List<Column> METRIC_VALUES = List.of(
            new Column("value", "double precision"),
            new Column("numerator", "bigint"),
            new Column("denominator", "bigint"));

    /**
     * Funnel value columns: {@code step_counts[k-1]} is the count reaching step k (every step, in
     * order; conversions are derived by readers), and the median time in milliseconds from step 1
     * to the last step over the attempts that completed (null when none did). The window columns
     * are the reporting window.
     */
    public static final List<Column> FUNNEL_VALUES = List.of(
            new Column("step_counts", "bigint[]"),
            new Column("median_conversion_ms", "double precision"));

    /**
     * Retention value columns. {@code window_start} is the cohort start and {@code window_end} the
     * cohort start plus one period; {@code retained[k-1]} is the count retained in period k and
     * {@code complete[k-1]} whether period k has elapsed (an incomplete period's count is what is
     * known so far, never reported as final). {@code final} is true when every period is complete.
     */
    public static final List<Column> RETENTION_VALUES = List.of(
            new Column("cohort_size", "bigint"),
            new Column("retained", "bigint[]"),
            new Column("complete", "boolean[]"));

    /** Anomaly value columns of a Metric's anomalies table ({@link #anomalies}); rows are always final. */
    public static final List<Column> ANOMALY_VALUES = List.of(
            new Column("observed", "double precision"),
            new Column("expected", "double precision"),
            new Column("lower", "double precision"),
            new Column("upper", "double precision"),
            new Column("score", "double precision"));

    private final String schema;
    private final String table;
    private final List<String> dimensionColumns;
    private final List<Column> valueColumns;

    private TableLayout(String schema, String table, List<String> dimensionColumns, List<Column> valueColumns) {
        this.schema = identifier(schema, "schema");
        this.table = identifier(table, "table");
        this.dimensionColumns = List.copyOf(dimensionColumns);
        this.dimensionColumns.forEach(c -> identifier(c, "dimension column"));
        this.valueColumns = List.copyOf(valueColumns);
        this.valueColumns.forEach(c -> identifier(c.name(), "value column"));
    }

    /**
     * The detail table of an analysis, with the value columns of its kind ({@link AnalysisKind#valueColumns()}).
     *
     * @throws IllegalArgumentException when the plan's identifiers are not valid
     */
    public static TableLayout of(AnalysisPlan plan) {
        return new TableLayout(plan.serving().schema(), plan.serving().table(), plan.serving().columns(), plan.kind().valueColumns());
    }

    /**
     * A Metric's anomalies table: same schema, key and dimension columns as its detail table,
     * named {@link #anomaliesTable}, with {@link #ANOMALY_VALUES}.
     */
    public static TableLayout anomalies(AnalysisPlan plan) {
        return new TableLayout(plan.serving().schema(), anomaliesTable(plan.serving().table()), plan.serving().columns(), ANOMALY_VALUES);
    }

    /** The anomalies table of a detail table: {@code <table>_anomalies}, hashed when longer than 63 bytes. */
    public static String anomaliesTable(String detailTable) {
        return dev.pulse.api.compile.Names.identifier(detailTable, "anomalies");
    }

    /** A layout from its parts (tests, rollup tables). */
    public static TableLayout of(String schema, String table, List<String> dimensionColumns, List<Column> valueColumns) {
        return new TableLayout(schema, table, dimensionColumns, valueColumns);
    }

    public String schema() {
        return schema;
    }

    public String table() {
        return table;
    }

    /** {@code "schema"."table"}. */
    public String qualifiedName() {
        return quote(schema) + "." + quote(table);
    }

    public List<String> dimensionColumns() {
        return dimensionColumns;
    }

    public List<Column> valueColumns() {
        return valueColumns;
    }

    /** The primary key columns, in order. */
    public List<String> keyColumns() {
        List<String> key = new ArrayList<>();
        key.add(WINDOW_START);
        key.add(WINDOW_END);
        key.addAll(dimensionColumns);
        return key;
    }

    /** {@code CREATE SCHEMA IF NOT EXISTS}. */
    public String createSchemaSql() {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
    }

    /** {@code CREATE TABLE IF NOT EXISTS} with every column and the primary key. */
    public String createTableSql() {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(qualifiedName()).append(" (");
        sql.append(quote(WINDOW_START)).append(" timestamptz NOT NULL, ");
        sql.append(quote(WINDOW_END)).append(" timestamptz NOT NULL, ");
        for (String d : dimensionColumns) {
            sql.append(quote(d)).append(" text NOT NULL, ");
        }
        for (Column c : valueColumns) {
            sql.append(quote(c.name())).append(' ').append(c.sqlType()).append(", ");
        }
        sql.append(quote(FINAL)).append(" boolean NOT NULL, ");
        sql.append(quote(UPDATED_AT)).append(" timestamptz NOT NULL DEFAULT now(), ");
        sql.append("PRIMARY KEY (").append(quotedList(keyColumns())).append("))");
        return sql.toString();
    }

    /**
     * The upsert of one row. Parameters, in order: window_start, window_end (timestamptz), each
     * dimension column (text, {@link #NULL_DIMENSION} for missing), each value column, final.
     * {@code updated_at} is the database's {@code now()}. A final row is never turned back into a
     * provisional one (a replayed provisional result after a restart cannot undo finality).
     */
    public String upsertSql() {
        List<String> columns = new ArrayList<>(keyColumns());
        valueColumns.forEach(c -> columns.add(c.name()));
        columns.add(FINAL);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(qualifiedName()).append(" AS t (")
                .append(quotedList(columns)).append(", ").append(quote(UPDATED_AT)).append(") VALUES (");
        sql.append("?, ".repeat(columns.size())).append("now()) ON CONFLICT (").append(quotedList(keyColumns()))
                .append(") DO UPDATE SET ");
        for (Column c : valueColumns) {
            sql.append(quote(c.name())).append(" = EXCLUDED.").append(quote(c.name())).append(", ");
        }
        sql.append(quote(FINAL)).append(" = EXCLUDED.").append(quote(FINAL)).append(", ")
                .append(quote(UPDATED_AT)).append(" = EXCLUDED.").append(quote(UPDATED_AT))
                .append(" WHERE NOT t.").append(quote(FINAL)).append(" OR EXCLUDED.").append(quote(FINAL));
        return sql.toString();
    }

    /** The number of bound parameters of {@link #upsertSql()}. */
    public int upsertParameterCount() {
        return 2 + dimensionColumns.size() + valueColumns.size() + 1;
    }

    /** A dimension value as stored: the value, or {@link #NULL_DIMENSION} when missing. */
    public static String storedDimension(String value) {
        return value == null ? NULL_DIMENSION : value;
    }

    /** A stored dimension value as read back: null for {@link #NULL_DIMENSION}. */
    public static String dimensionValue(String stored) {
        return NULL_DIMENSION.equals(stored) ? null : stored;
    }

    /** A double-quoted identifier; the name must be a valid identifier. */
    public static String quote(String identifier) {
        return "\"" + identifier(identifier, "identifier") + "\"";
    }

    private static String quotedList(List<String> names) {
        return String.join(", ", names.stream().map(TableLayout::quote).toList());
    }

    private static String identifier(String name, String what) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + what + " name '" + name
                    + "': lowercase letters, digits and '_', starting with a letter or '_', at most 63 bytes");
        }
        return name;
    }
}
