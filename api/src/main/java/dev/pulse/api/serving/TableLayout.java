package dev.pulse.api.serving;

import dev.pulse.api.compile.Names;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one definition of an analysis's serving (detail) table in PostgreSQL: every column name, the
 * value columns of each kind in their order, its DDL, its upsert, the whole-row select list and
 * the time-bucket expression. The pipeline writes rows with {@link #upsertSql()}; the serving
 * API, the rollups ({@link RollupLayout}), the Grafana dashboards and the drift check read through
 * the same names. Identifiers are validated and always quoted; values are always bound.
 * Serializable: a pipeline sink carries its layout to the task managers.
 *
 * <p>Columns, in order: {@code window_start timestamptz}, {@code window_end timestamptz}, one
 * {@code text} column per dimension ({@code d_<dimension>}, from {@code ServingPlan.columns}), the
 * value columns of the kind ({@link #valueColumns()}), a Metric's merge state ({@link #stateColumns()}:
 * what its countDistinct and percentile rollups combine; written, never read by queries),
 * {@code final boolean} and {@code updated_at timestamptz}.
 *
 * <p>Primary key: {@code (window_start, window_end, d_...)}. {@code window_end} is part of it
 * because cumulative windows share their start ({@code [start, start+j·step)} for every j);
 * for tumbling and hopping windows the end follows from the start.
 *
 * <p>A detail table ({@link #detail}) is partitioned by range of {@code window_start}, one
 * partition per UTC day, created ahead by its writers and the retention schedule
 * ({@code ServingSchema.ensurePartitions}) and dropped whole by retention.
 *
 * <p>A missing dimension value must be a valid key, and PostgreSQL 14 (the embedded one) has no
 * {@code NULLS NOT DISTINCT}. So dimension columns are {@code NOT NULL} and a missing value is
 * stored as {@link #NULL_DIMENSION}; readers map it back to JSON null with {@link #dimensionValue}.
 * A real value equal to the sentinel would read back as null; the sentinel is a single control
 * picture character (U+2400) no product event is expected to carry.
 */
public final class TableLayout implements Serializable {
    private static final long serialVersionUID = 3L;
    /** What a missing (or JSON null) dimension value is stored as. */
    public static final String NULL_DIMENSION = "\u2400";
    /** Identifiers this class accepts: what the compiler derives (lowercase, digits, '_'). */
    private static final Pattern IDENTIFIER = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";
    public static final String FINAL = "final";
    public static final String UPDATED_AT = "updated_at";
    /** Dimension columns are {@code d_<dimension>} (hashed when too long; {@link #dimensionColumn}). */
    private static final String DIMENSION_PREFIX = "d";

    private static final String DOUBLE = "double precision";
    private static final String BIGINT = "bigint";

    /** A value column of a kind: its name and PostgreSQL type. */
    public record Column(String name, String sqlType) implements Serializable {
        /** The double-quoted name, for SQL text. */
        public String quoted() {
            return quote(name);
        }
    }

    // Metric: value (null when undefined); a ratio's two counts, or an avg's number of values in denominator
    public static final Column VALUE = new Column("value", DOUBLE);
    public static final Column NUMERATOR = new Column("numerator", BIGINT);
    public static final Column DENOMINATOR = new Column("denominator", BIGINT);
    /** Metric value columns in table order, which the upsert and the pipeline's row bindings follow. */
    public static final List<Column> METRIC_VALUES = List.of(VALUE, NUMERATOR, DENOMINATOR);

    /*
     * A Metric's merge state (metricState): what rollups of countDistinct and percentile combine
     * (RollupLayout), written with the row but read by no query (rowSelectList leaves it out).
     * countDistinct: the window's distinct values, sorted. percentile: the window's DDSketch as
     * bins, each bin's representative value (the value the sketch answers for it: 0 for the zero
     * bin, negative for negative values) ascending, and its count. Other aggregations have none.
     */
    public static final Column DISTINCT_VALUES = new Column("distinct_values", "text[]");
    public static final Column SKETCH_VALUES = new Column("sketch_values", "double precision[]");
    public static final Column SKETCH_COUNTS = new Column("sketch_counts", "bigint[]");

    /**
     * The merge-state columns of a Metric's tables, after {@link #METRIC_VALUES} ({@link #stateColumns()}):
     * {@link #DISTINCT_VALUES} for countDistinct, {@link #SKETCH_VALUES} and {@link #SKETCH_COUNTS}
     * for percentile, none for the other aggregations (their rollups combine values).
     */
    public static List<Column> metricState(AggregationType aggregation) {
        return switch (aggregation) {
            case countDistinct -> List.of(DISTINCT_VALUES);
            case percentile -> List.of(SKETCH_VALUES, SKETCH_COUNTS);
            default -> List.of();
        };
    }

    /*
     * Funnel: step_counts[k-1] is the count reaching step k (every step, in order; conversions are
     * derived by readers), and the median time in milliseconds from step 1 to the last step over
     * the attempts that completed (null when none did). The window columns are the reporting window.
     */
    public static final Column STEP_COUNTS = new Column("step_counts", "bigint[]");
    public static final Column MEDIAN_CONVERSION_MS = new Column("median_conversion_ms", DOUBLE);
    /** Funnel value columns in table order, which the upsert and the pipeline's row bindings follow. */
    public static final List<Column> FUNNEL_VALUES = List.of(STEP_COUNTS, MEDIAN_CONVERSION_MS);

    /*
     * Retention: window_start is the cohort start and window_end the cohort start plus one period;
     * retained[k-1] is the count retained in period k and complete[k-1] whether period k has
     * elapsed (an incomplete period's count is what is known so far, never reported as final).
     * final is true when every period is complete.
     */
    public static final Column COHORT_SIZE = new Column("cohort_size", BIGINT);
    public static final Column RETAINED = new Column("retained", "bigint[]");
    public static final Column COMPLETE = new Column("complete", "boolean[]");
    /** Retention value columns in table order, which the upsert and the pipeline's row bindings follow. */
    public static final List<Column> RETENTION_VALUES = List.of(COHORT_SIZE, RETAINED, COMPLETE);

    // Anomalies table of a Metric (anomalies()): the observed value against its band; rows are always final
    public static final Column OBSERVED = new Column("observed", DOUBLE);
    public static final Column EXPECTED = new Column("expected", DOUBLE);
    public static final Column LOWER = new Column("lower", DOUBLE);
    public static final Column UPPER = new Column("upper", DOUBLE);
    public static final Column SCORE = new Column("score", DOUBLE);
    /** Anomaly value columns in table order, which the upsert and the pipeline's row bindings follow. */
    public static final List<Column> ANOMALY_VALUES = List.of(OBSERVED, EXPECTED, LOWER, UPPER, SCORE);

    /**
     * The range of one partition of a detail table: a UTC day of {@code window_start}. Retention
     * drops whole partitions, so a row outlives its retention by at most about a day.
     */
    public static final long PARTITION_MS = 86_400_000L;

    private final String schema;
    private final String table;
    private final List<String> dimensionColumns;
    private final List<Column> valueColumns;
    private final List<Column> stateColumns;
    private final boolean partitioned;

    private TableLayout(String schema, String table, List<String> dimensionColumns, List<Column> valueColumns, List<Column> stateColumns,
            boolean partitioned) {
        this.partitioned = partitioned;
        this.schema = identifier(schema, "schema");
        this.table = identifier(table, "table");
        this.dimensionColumns = List.copyOf(dimensionColumns);
        this.dimensionColumns.forEach(c -> identifier(c, "dimension column"));
        this.valueColumns = List.copyOf(valueColumns);
        this.valueColumns.forEach(c -> identifier(c.name(), "value column"));
        this.stateColumns = List.copyOf(stateColumns);
        this.stateColumns.forEach(c -> identifier(c.name(), "state column"));
    }

    /**
     * The detail table of an analysis, with the value columns of its kind ({@link AnalysisKind#valueColumns()}).
     *
     * @throws IllegalArgumentException when the plan's identifiers are not valid
     */
    public static TableLayout of(AnalysisPlan plan) {
        return detail(plan.serving().schema(), plan.serving().table(), plan.serving().columns(), plan);
    }

    /**
     * The detail table of an analysis from its parts: its kind's value columns and, for a Metric,
     * the merge state of its aggregation ({@link #metricState}).
     */
    public static TableLayout detail(String schema, String table, List<String> dimensionColumns, AnalysisPlan plan) {
        return new TableLayout(schema, table, dimensionColumns, plan.kind().valueColumns(),
                plan.metric() == null ? List.of() : metricState(plan.metric().aggregation()), true);
    }

    /**
     * A detail table from its parts: created partitioned by range of {@code window_start}, one
     * partition per UTC day ({@link #PARTITION_MS}; {@link #createPartitionSql}). Tables created
     * before partitioning existed stay plain; writers and retention look at what the table is.
     */
    public static TableLayout detail(String schema, String table, List<String> dimensionColumns, List<Column> valueColumns) {
        return new TableLayout(schema, table, dimensionColumns, valueColumns, List.of(), true);
    }

    /**
     * A Metric's anomalies table: same schema, key and dimension columns as its detail table,
     * named {@link #anomaliesTable}, with {@link #ANOMALY_VALUES}.
     */
    public static TableLayout anomalies(AnalysisPlan plan) {
        return of(plan.serving().schema(), anomaliesTable(plan.serving().table()), plan.serving().columns(), ANOMALY_VALUES);
    }

    /** The anomalies table of a detail table: {@code <table>_anomalies}, hashed when longer than 63 bytes. */
    public static String anomaliesTable(String detailTable) {
        return Names.identifier(detailTable, "anomalies");
    }

    /** An unpartitioned layout from its parts (rollup and anomalies tables, tests). */
    public static TableLayout of(String schema, String table, List<String> dimensionColumns, List<Column> valueColumns) {
        return of(schema, table, dimensionColumns, valueColumns, List.of());
    }

    /** An unpartitioned layout with merge-state columns after its value columns (rollup tables). */
    public static TableLayout of(String schema, String table, List<String> dimensionColumns, List<Column> valueColumns,
            List<Column> stateColumns) {
        return new TableLayout(schema, table, dimensionColumns, valueColumns, stateColumns, false);
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

    /** The start of the partition holding a window start: its UTC day, epoch milliseconds. */
    public static long partitionStart(long windowStartMs) {
        return Math.floorDiv(windowStartMs, PARTITION_MS) * PARTITION_MS;
    }

    /** The partition of the day starting at {@code dayStartMs}: {@code <table>_p<yyyymmdd>}, hashed when too long. */
    public String partitionTable(long dayStartMs) {
        return Names.identifier(table, "p" + DAY.format(Instant.ofEpochMilli(dayStartMs)));
    }

    /**
     * {@code CREATE TABLE IF NOT EXISTS ... PARTITION OF ... FOR VALUES FROM (day) TO (day + 1 day)}
     * for the day starting at {@code dayStartMs} ({@link #partitionTable}): for the table's owner.
     */
    public String createPartitionSql(long dayStartMs) {
        checkPartitionStart(dayStartMs);
        return "CREATE TABLE IF NOT EXISTS " + quote(schema) + "." + quote(partitionTable(dayStartMs)) + " PARTITION OF "
                + qualifiedName() + " FOR VALUES FROM (" + timestampLiteral(dayStartMs) + ") TO ("
                + timestampLiteral(dayStartMs + PARTITION_MS) + ")";
    }

    /**
     * The same partition through the catalog's {@code create_day_partition}, which runs with the
     * owner's rights (only a table's owner may add a partition to it) for a caller that may write
     * the table, such as a pipeline's own role.
     */
    public String createPartitionCallSql(long dayStartMs) {
        checkPartitionStart(dayStartMs);
        return "SELECT " + Catalog.CREATE_DAY_PARTITION + "(" + literal(schema) + ", " + literal(table) + ", "
                + literal(partitionTable(dayStartMs)) + ", " + timestampLiteral(dayStartMs) + ")";
    }

    private void checkPartitionStart(long dayStartMs) {
        if (!partitioned || dayStartMs != partitionStart(dayStartMs)) {
            throw new IllegalArgumentException("no partition of " + qualifiedName() + " starts at " + dayStartMs);
        }
    }

    /** A string literal of a name this layout made (identifiers: letters, digits and underscores). */
    private static String literal(String name) {
        return "'" + name.replace("'", "''") + "'";
    }

    private static String timestampLiteral(long ms) {
        // generated from a number, never from input
        return "timestamptz '" + Instant.ofEpochMilli(ms) + "'";
    }

    /** The columns readers read besides the key and final, in table order. */
    public List<Column> valueColumns() {
        return valueColumns;
    }

    /**
     * The merge-state columns ({@link #metricState}): written with each row after the value
     * columns, read only by the rollup refresh, never by queries ({@link #rowSelectList()}).
     */
    public List<Column> stateColumns() {
        return stateColumns;
    }

    /** What a writer binds after the key: the value columns, then the state columns. */
    public List<Column> writtenColumns() {
        List<Column> out = new ArrayList<>(valueColumns);
        out.addAll(stateColumns);
        return out;
    }

    /**
     * {@code ALTER TABLE … ADD COLUMN IF NOT EXISTS} for each state column: a table made before
     * they existed gets them (nullable, so no row is rewritten); none when there are none.
     */
    public List<String> addStateColumnsSql() {
        return stateColumns.stream().map(c -> "ALTER TABLE " + qualifiedName() + " ADD COLUMN IF NOT EXISTS " + c.quoted() + " " + c.sqlType())
                .toList();
    }

    /** The primary key columns, in order. */
    public List<String> keyColumns() {
        List<String> key = new ArrayList<>();
        key.add(WINDOW_START);
        key.add(WINDOW_END);
        key.addAll(dimensionColumns);
        return key;
    }

    /** The column of a dimension: {@code d_<dimension>}, hashed when longer than 63 bytes. */
    public static String dimensionColumn(String dimension) {
        return Names.identifier(DIMENSION_PREFIX, dimension);
    }

    /**
     * The select list of a whole row, in the order rows are bound: window start and end, each
     * value column, final. Readers read these columns by name and the group columns after them,
     * from position {@link #rowColumnCount()} + 1.
     */
    public String rowSelectList() {
        List<String> columns = new ArrayList<>(List.of(WINDOW_START, WINDOW_END));
        valueColumns.forEach(c -> columns.add(c.name()));
        columns.add(FINAL);
        return quotedList(columns);
    }

    /** The number of columns in {@link #rowSelectList()}. */
    public int rowColumnCount() {
        return 2 + valueColumns.size() + 1;
    }

    /** {@code "window_start", "window_end"}: the order of rows in time (cumulative windows share their start). */
    public static String windowOrder() {
        return quote(WINDOW_START) + ", " + quote(WINDOW_END);
    }

    /**
     * The bucket of a timestamp expression at a grain: {@code date_bin} aligned to the UTC epoch.
     * Rollups and coarse reads use the same expression, so a coarse point is a rollup row.
     */
    public static String bucket(long grainMs, String timestamp) {
        return "date_bin(" + interval(grainMs) + ", " + timestamp + ", timestamptz '1970-01-01 00:00:00+00')";
    }

    /** {@code interval '<ms> milliseconds'}. */
    public static String interval(long ms) {
        return "interval '" + ms + " milliseconds'";
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
        for (Column c : writtenColumns()) {
            sql.append(quote(c.name())).append(' ').append(c.sqlType()).append(", ");
        }
        sql.append(quote(FINAL)).append(" boolean NOT NULL, ");
        sql.append(quote(UPDATED_AT)).append(" timestamptz NOT NULL DEFAULT now(), ");
        sql.append("PRIMARY KEY (").append(quotedList(keyColumns())).append("))");
        if (partitioned) {
            // the primary key starts with window_start, as a partitioned table's must include it
            sql.append(" PARTITION BY RANGE (").append(quote(WINDOW_START)).append(")");
        }
        return sql.toString();
    }

    /**
     * The upsert of one row. Parameters, in order: window_start, window_end (timestamptz), each
     * dimension column (text, {@link #NULL_DIMENSION} for missing), each written column
     * ({@link #writtenColumns()}: value columns, then state columns), final.
     * {@code updated_at} is the database's {@code now()}. A final row is never written again: not
     * turned back into a provisional one (a replayed provisional result after a restart cannot undo
     * finality) and not replaced by another final one (a version resumed after a revert, or a job
     * restored from an older checkpoint, can never replace a final number).
     */
    public String upsertSql() {
        List<String> columns = new ArrayList<>(keyColumns());
        writtenColumns().forEach(c -> columns.add(c.name()));
        columns.add(FINAL);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(qualifiedName()).append(" AS t (")
                .append(quotedList(columns)).append(", ").append(quote(UPDATED_AT)).append(") VALUES (");
        sql.append("?, ".repeat(columns.size())).append("now()) ON CONFLICT (").append(quotedList(keyColumns()))
                .append(") DO UPDATE SET ");
        for (Column c : writtenColumns()) {
            sql.append(quote(c.name())).append(" = EXCLUDED.").append(quote(c.name())).append(", ");
        }
        sql.append(quote(FINAL)).append(" = EXCLUDED.").append(quote(FINAL)).append(", ")
                .append(quote(UPDATED_AT)).append(" = EXCLUDED.").append(quote(UPDATED_AT))
                .append(" WHERE NOT t.").append(quote(FINAL));
        return sql.toString();
    }

    /**
     * Whether the final row a refused upsert met holds other values than the refused row: one
     * row ({@code 1}) or none. Parameters as {@link #upsertSql()} without final: window_start,
     * window_end, each dimension column, each written column. The pipeline counts such writes
     * ({@code refusedFinalWrites}); a final row written again with the same values (a replay after
     * a restore) is not counted.
     */
    public String finalDiffersSql() {
        StringBuilder sql = new StringBuilder("SELECT 1 FROM ").append(qualifiedName()).append(" WHERE ");
        for (String k : keyColumns()) {
            sql.append(quote(k)).append(" = ? AND ");
        }
        sql.append(quote(FINAL)).append(" AND (");
        List<Column> written = writtenColumns();
        for (int i = 0; i < written.size(); i++) {
            Column c = written.get(i);
            sql.append(i == 0 ? "" : " OR ").append(c.quoted()).append(" IS DISTINCT FROM CAST(? AS ").append(c.sqlType()).append(")");
        }
        return sql.append(")").toString();
    }

    /** The number of bound parameters of {@link #upsertSql()}. */
    public int upsertParameterCount() {
        return 2 + dimensionColumns.size() + valueColumns.size() + stateColumns.size() + 1;
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
