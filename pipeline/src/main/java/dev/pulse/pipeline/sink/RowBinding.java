package dev.pulse.pipeline.sink;

import dev.pulse.api.serving.TableLayout;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * How one kind of result row maps onto its serving table ({@link TableLayout}): its key
 * (window and dimension values), its value columns in layout order, and its finality.
 */
public interface RowBinding<T> extends Serializable {
    List<TableLayout.Column> valueColumns();

    long windowStart(T row);

    long windowEnd(T row);

    String[] dimensions(T row);

    boolean isFinal(T row);

    /** A copy the sink may keep while the input reuses objects. */
    T copy(T row);

    /** Binds the value columns from parameter {@code index} on; returns the next parameter index. */
    int bindValues(Connection c, PreparedStatement s, int index, T row) throws SQLException;
}
