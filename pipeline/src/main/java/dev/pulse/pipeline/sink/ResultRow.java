package dev.pulse.pipeline.sink;

/**
 * What every result row has, whatever its kind: the key of its serving table (window and
 * dimension values, null when missing) and whether it is final. The sink binds these once for
 * every kind; a {@link RowBinding} binds only the kind's value columns.
 *
 * <p>The subclasses are Flink POJOs: these public fields are part of each (Flink includes a
 * superclass's fields), and the methods are not getters, so no serializer falls back to Kryo.
 *
 * @param <R> the row type itself, so {@link #copy()} returns it
 */
public abstract class ResultRow<R extends ResultRow<R>> {
    public long windowStart;
    public long windowEnd;
    /** The dimension values in the plan's order, null when missing; never written after the row is built. */
    public String[] dimensions;
    public boolean finalResult;

    /** A copy the sink may keep while its input reuses objects. */
    public abstract R copy();

    /** Copies the key and finality into a new row (the dimension array is shared: nothing writes to it); returns it. */
    protected final R copyKeyTo(R c) {
        c.windowStart = windowStart;
        c.windowEnd = windowEnd;
        c.dimensions = dimensions;
        c.finalResult = finalResult;
        return c;
    }
}
