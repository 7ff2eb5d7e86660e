package dev.pulse.pipeline.sink;

import dev.pulse.api.serving.TableLayout;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Upserts an analysis's rows (any kind, through its {@link RowBinding}) into its serving table ({@link TableLayout}), batched: a batch is
 * written when it holds {@code batchSize} rows, when {@code flushIntervalMs} has passed since its
 * first row, and at every checkpoint (so a checkpoint never completes with rows unwritten).
 * Within a batch only the latest row of each (window, dimensions) is kept. Upserts make the
 * writes idempotent: after a restart, replayed rows overwrite themselves, and a final row is
 * never turned back into a provisional one.
 */
public final class PostgresUpsertSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** Where and how to write. */
    public record Target(String jdbcUrl, String user, String password, boolean createTable, int batchSize, long flushIntervalMs)
            implements Serializable {
    }

    private final Target target;
    private final RowBinding<T> binding;
    private final String schema;
    private final String table;
    private final List<String> dimensionColumns;

    public PostgresUpsertSink(Target target, TableLayout layout, RowBinding<T> binding) {
        this.target = target;
        this.binding = binding;
        this.schema = layout.schema();
        this.table = layout.table();
        this.dimensionColumns = List.copyOf(layout.dimensionColumns());
    }

    private TableLayout layout() {
        return TableLayout.of(schema, table, dimensionColumns, binding.valueColumns());
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(Sink.InitContext context) throws IOException {
        return new Writer(context.getProcessingTimeService());
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer(context.getProcessingTimeService());
    }

    /**
     * Creates the schema and table when missing (for the embedded stack; the operator owns
     * migrations). Parallel writers run this at once, and concurrent {@code CREATE ... IF NOT
     * EXISTS} can still collide in PostgreSQL's catalog, so it runs under a transaction-scoped
     * advisory lock.
     */
    public static void createTable(Connection c, TableLayout layout) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + CREATE_LOCK + ")");
            s.execute(layout.createSchemaSql());
            s.execute(layout.createTableSql());
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The advisory lock key that serializes table creation ("pulse" in ASCII). */
    private static final long CREATE_LOCK = 0x70756c7365L;

    private final class Writer implements SinkWriter<T> {
        private final ProcessingTimeService time;
        private final TableLayout layout = layout();
        private final Map<String, T> pending = new LinkedHashMap<>();
        private Connection connection;
        private PreparedStatement upsert;
        private boolean timerSet;

        Writer(ProcessingTimeService time) throws IOException {
            this.time = time;
            try {
                connect();
            } catch (SQLException e) {
                throw new IOException("cannot connect to " + target.jdbcUrl() + " for " + layout.qualifiedName() + ": " + e.getMessage(), e);
            }
        }

        private void connect() throws SQLException {
            Properties props = new Properties();
            if (target.user() != null) {
                props.setProperty("user", target.user());
            }
            if (target.password() != null) {
                props.setProperty("password", target.password());
            }
            connection = DriverManager.getConnection(target.jdbcUrl(), props);
            if (target.createTable()) {
                createTable(connection, layout);
            }
            upsert = connection.prepareStatement(layout.upsertSql());
        }

        @Override
        public void write(T row, Context context) throws IOException {
            // a copy: with object reuse an unchained input may hand the same instance again
            pending.put(rowKey(row), binding.copy(row));
            if (pending.size() >= target.batchSize()) {
                flush(false);
            } else if (!timerSet) {
                timerSet = true;
                time.registerTimer(time.getCurrentProcessingTime() + target.flushIntervalMs(), t -> {
                    timerSet = false;
                    flush(false);
                });
            }
        }

        private String rowKey(T r) {
            StringBuilder b = new StringBuilder().append(binding.windowStart(r)).append('/').append(binding.windowEnd(r));
            for (String d : binding.dimensions(r)) {
                b.append('/').append(d == null ? "~" : d.length() + ":" + d);
            }
            return b.toString();
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (pending.isEmpty()) {
                return;
            }
            try {
                for (T r : pending.values()) {
                    bind(r);
                    upsert.addBatch();
                }
                upsert.executeBatch();
                pending.clear();
            } catch (SQLException e) {
                SQLException cause = e.getNextException() != null ? e.getNextException() : e;
                throw new IOException("upsert into " + layout.qualifiedName() + " failed: " + cause.getMessage(), e);
            }
        }

        private void bind(T r) throws SQLException {
            int i = 1;
            upsert.setObject(i++, utc(binding.windowStart(r)));
            upsert.setObject(i++, utc(binding.windowEnd(r)));
            for (String d : binding.dimensions(r)) {
                upsert.setString(i++, TableLayout.storedDimension(d));
            }
            i = binding.bindValues(connection, upsert, i, r);
            upsert.setBoolean(i, binding.isFinal(r));
        }

        private OffsetDateTime utc(long epochMillis) {
            return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
        }

        @Override
        public void close() throws Exception {
            try {
                if (connection != null && !connection.isClosed()) {
                    flush(true);
                }
            } finally {
                if (connection != null) {
                    connection.close();
                }
            }
        }
    }
}
