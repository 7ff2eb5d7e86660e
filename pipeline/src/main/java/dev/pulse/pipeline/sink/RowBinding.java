package dev.pulse.pipeline.sink;

import dev.pulse.api.serving.TableLayout;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one kind of result row fills the written columns of its serving table
 * ({@link TableLayout#writtenColumns()}: value columns, then merge-state columns):
 * a binder per column, given by column, so the columns' order is stated by the layout alone. The
 * key and finality come from the row itself ({@link ResultRow}).
 */
public final class RowBinding<T extends ResultRow<T>> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Binds one value column of a row at a parameter index. */
    public interface ValueBinder<T> extends Serializable {
        void bind(Connection c, PreparedStatement s, int index, T row) throws SQLException;
    }

    private final List<TableLayout.Column> columns;
    /** In {@link #columns} order: resolved once, so binding a row is a loop over an array. */
    private final ValueBinder<T>[] binders;

    @SuppressWarnings("unchecked")
    private RowBinding(List<TableLayout.Column> columns, Map<TableLayout.Column, ValueBinder<T>> byColumn) {
        if (!byColumn.keySet().equals(Set.copyOf(columns))) {
            throw new IllegalArgumentException("binders for " + byColumn.keySet() + ", columns " + columns);
        }
        this.columns = List.copyOf(columns);
        this.binders = columns.stream().map(byColumn::get).toArray(ValueBinder[]::new);
    }

    /** A binding of a kind's value columns ({@link TableLayout}'s list), one binder for each. */
    public static <T extends ResultRow<T>> RowBinding<T> of(List<TableLayout.Column> columns,
            Map<TableLayout.Column, ValueBinder<T>> byColumn) {
        return new RowBinding<>(columns, byColumn);
    }

    /** The columns bound, in order: the table's {@link TableLayout#writtenColumns()}. */
    public List<TableLayout.Column> columns() {
        return columns;
    }

    /** Binds the value columns from parameter {@code index} on; returns the next parameter index. */
    public int bindValues(Connection c, PreparedStatement s, int index, T row) throws SQLException {
        for (ValueBinder<T> b : binders) {
            b.bind(c, s, index++, row);
        }
        return index;
    }
}
