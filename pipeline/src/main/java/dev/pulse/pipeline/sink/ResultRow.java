package dev.pulse.pipeline.sink;

/**
 * What every result row has, whatever its kind: the key of its serving table (window and
 * dimension values, null when missing) and whether it is final. The sink binds these for every
 * kind; a {@link RowBinding} binds only the kind's value columns.
 *
 * <p>The rows are Flink POJOs with public fields; these are plain methods over those fields (no
 * {@code get} prefix, no extra fields), so their type information and serializers are unchanged.
 *
 * @param <R> the row type itself, so {@link #copy()} returns it
 */
public interface ResultRow<R extends ResultRow<R>> {
    long windowStart();

    long windowEnd();

    String[] dimensions();

    boolean isFinal();

    /** A copy the sink may keep while its input reuses objects. */
    R copy();
}
