package dev.pulse.pipeline.sink;

import dev.pulse.api.serving.RollupMaintenance;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Upserts an analysis's rows (any kind, through its {@link RowBinding}) into its serving table ({@link TableLayout}), batched: a batch is
 * written when it holds {@code batchSize} rows, when {@code flushIntervalMs} has passed since its
 * first row, {@link #FINAL_ROW_DELAY_MS} after a final row arrives (a window turning final is what
 * a dashboard waits for; its other groups' rows arrive in the same burst and share the batch), and
 * at every checkpoint (so a checkpoint never completes with rows unwritten).
 * Within a batch only the latest row of each (window, dimensions) is kept. Upserts make the
 * writes idempotent: after a restart, replayed rows overwrite themselves, and a final row is
 * never turned back into a provisional one nor replaced by another final one. A final row refused
 * because the table holds a final row with other values is counted in {@code refusedFinalWrites}
 * (group {@code pulse.table}): it means something tried to change a final number. A Metric's
 * sink also recomputes the rollup buckets a batch touched, in the batch's transaction
 * ({@link RollupMaintenance}): no per-row trigger on the hot path. Before a batch, the day
 * partitions its rows need are created when missing ({@link ServingSchema#ensurePartitions}).
 */
public final class PostgresUpsertSink<T extends ResultRow<T>> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    /** Longest a final row waits for its batch (at most {@code flushIntervalMs}). */
    public static final long FINAL_ROW_DELAY_MS = 100;

    /** Where and how to write. */
    public record Target(String jdbcUrl, String user, String password, boolean createTable, int batchSize, long flushIntervalMs)
            implements Serializable {
    }

    private final Target target;
    private final TableLayout layout;
    private final RowBinding<T> binding;
    private final RollupMaintenance rollups;

    public PostgresUpsertSink(Target target, TableLayout layout, RowBinding<T> binding) {
        this(target, layout, binding, null);
    }

    /** A sink that also refreshes the Metric's rollups in each batch's transaction ({@link RollupMaintenance}). */
    public PostgresUpsertSink(Target target, TableLayout layout, RowBinding<T> binding, RollupMaintenance rollups) {
        if (!layout.writtenColumns().equals(binding.columns())) {
            throw new IllegalArgumentException("rows bound to " + binding.columns() + " cannot fill " + layout.qualifiedName());
        }
        this.target = target;
        this.layout = layout;
        this.binding = binding;
        this.rollups = rollups;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(Sink.InitContext context) throws IOException {
        return new Writer(context.getProcessingTimeService(), refusedCounter(context.metricGroup()));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer(context.getProcessingTimeService(), refusedCounter(context.metricGroup()));
    }

    private Counter refusedCounter(MetricGroup group) {
        return group.addGroup("pulse").addGroup("table", layout.qualifiedName()).counter("refusedFinalWrites");
    }

    private final class Writer implements SinkWriter<T> {
        private final ProcessingTimeService time;
        private final Map<String, T> pending = new LinkedHashMap<>();
        private final Set<Long> knownPartitions = new HashSet<>();
        private Connection connection;
        private PreparedStatement upsert;
        private PreparedStatement finalDiffers;
        private final Counter refusedFinalWrites;
        private final FlushDeadline deadline = new FlushDeadline(target.flushIntervalMs(), FINAL_ROW_DELAY_MS);

        Writer(ProcessingTimeService time, Counter refusedFinalWrites) throws IOException {
            this.time = time;
            this.refusedFinalWrites = refusedFinalWrites;
            try {
                connect();
            } catch (SQLException e) {
                throw new IOException("cannot connect to " + target.jdbcUrl() + " for " + layout.qualifiedName() + ": " + e.getMessage(), e);
            }
        }

        private void connect() throws SQLException {
            connection = ServingConnections.open(target.jdbcUrl(), target.user(), target.password());
            if (target.createTable()) {
                // no operator created it (the embedded stack, tests): the one table, as the operator would
                ServingSchema.createTable(connection, layout);
            }
            // a batch, its refused-write checks and its rollup refresh commit together
            connection.setAutoCommit(false);
            upsert = connection.prepareStatement(layout.upsertSql());
            finalDiffers = connection.prepareStatement(layout.finalDiffersSql());
        }

        @Override
        public void write(T row, Context context) throws IOException {
            // a copy: with object reuse an unchained input may hand the same instance again
            pending.put(rowKey(row), row.copy());
            if (pending.size() >= target.batchSize()) {
                flush(false);
                return;
            }
            long timer = deadline.rowAdded(time.getCurrentProcessingTime(), row.finalResult);
            if (timer >= 0) {
                time.registerTimer(timer, t -> {
                    if (deadline.reached(t)) {
                        flush(false);
                    }
                });
            }
        }

        private String rowKey(T r) {
            StringBuilder b = new StringBuilder().append(r.windowStart).append('/').append(r.windowEnd);
            for (String d : r.dimensions) {
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
                ensurePartitions();
                for (T r : pending.values()) {
                    bind(r);
                    upsert.addBatch();
                }
                int[] counts = upsert.executeBatch();
                int i = 0;
                for (T r : pending.values()) {
                    if (r.finalResult && i < counts.length && counts[i] == 0 && finalDiffers(r)) {
                        refusedFinalWrites.inc();
                    }
                    i++;
                }
                if (rollups != null) {
                    refreshRollups(counts);
                }
                connection.commit();
                pending.clear();
                deadline.flushed();
            } catch (SQLException e) {
                rollback();
                knownPartitions.clear(); // one may have been dropped by retention (an old window written again): look again
                SQLException cause = e.getNextException() != null ? e.getNextException() : e;
                throw new IOException("upsert into " + layout.qualifiedName() + " failed: " + cause.getMessage(), e);
            }
        }

        /**
         * The day partitions the batch's rows need (and the next day's), before its transaction:
         * looked up once per day and writer, created when missing.
         */
        private void ensurePartitions() throws SQLException {
            List<Long> days = null;
            for (T r : pending.values()) {
                long day = TableLayout.partitionStart(r.windowStart);
                if (!knownPartitions.contains(day)) {
                    if (days == null) {
                        days = new ArrayList<>();
                    }
                    days.add(day);
                }
            }
            if (days != null) {
                knownPartitions.addAll(ServingSchema.ensurePartitions(connection, layout, days));
            }
        }

        /**
         * The rollup buckets of the batch's rows, recomputed in its transaction; a row the finality
         * guard refused (update count 0: a replay of a final row) changed nothing and is left out.
         */
        private void refreshRollups(int[] counts) throws SQLException {
            long[] starts = new long[pending.size()];
            List<String[]> dims = new ArrayList<>(pending.size());
            int i = 0;
            int k = 0;
            for (T r : pending.values()) {
                if (k < counts.length && counts[k++] == 0) {
                    continue;
                }
                starts[i++] = r.windowStart;
                String[] stored = new String[r.dimensions.length];
                for (int d = 0; d < stored.length; d++) {
                    stored[d] = TableLayout.storedDimension(r.dimensions[d]);
                }
                dims.add(stored);
            }
            rollups.afterUpsert(connection, Arrays.copyOf(starts, i), dims);
        }

        private void rollback() {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is broken: the job restarts from its checkpoint and writes the batch again
            }
        }

        private void bind(T r) throws SQLException {
            int i = bindKeyAndValues(upsert, r);
            upsert.setBoolean(i, r.finalResult);
        }

        /** Whether the final row the refused final row met holds other values. */
        private boolean finalDiffers(T r) throws SQLException {
            bindKeyAndValues(finalDiffers, r);
            try (ResultSet rs = finalDiffers.executeQuery()) {
                return rs.next();
            }
        }

        /** Binds window start and end, the dimensions and the values; returns the next parameter index. */
        private int bindKeyAndValues(PreparedStatement s, T r) throws SQLException {
            int i = 1;
            s.setObject(i++, utc(r.windowStart));
            s.setObject(i++, utc(r.windowEnd));
            for (String d : r.dimensions) {
                s.setString(i++, TableLayout.storedDimension(d));
            }
            return binding.bindValues(connection, s, i, r);
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
