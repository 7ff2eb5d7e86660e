package dev.pulse.pipeline.types;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.streaming.api.TimerService;

/**
 * One actor's events waiting for the watermark (a Funnel's, a Retention's), kept sorted as they
 * arrive (events of one actor mostly arrive in time order, so an insertion is usually an append),
 * and the event-time timer registered for the actor: one timer per actor, at the earliest time
 * it has something to do, rather than one per event. Taking the due events takes a prefix; the
 * events that are not due are not read.
 *
 * @param <E> the event type
 */
public final class PendingEvents<E> {
    private Object[] items;
    private int size;
    /** The event-time timer registered for the actor, Long.MAX_VALUE when none. */
    public long timer = Long.MAX_VALUE;

    public PendingEvents() {
        this(4);
    }

    private PendingEvents(int capacity) {
        items = new Object[Math.max(4, capacity)];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    public E first() {
        return (E) items[0];
    }

    @SuppressWarnings("unchecked")
    public E get(int i) {
        return (E) items[i];
    }

    /**
     * Adds an event to an actor's buffer (null: none yet), and moves the actor's timer to
     * {@code due} when that is earlier than the one registered. Returns the buffer to store.
     */
    public static <E> PendingEvents<E> add(PendingEvents<E> buffer, E e, Comparator<? super E> order, long due, TimerService timers) {
        PendingEvents<E> p = buffer == null ? new PendingEvents<>() : buffer;
        p.add(e, order);
        if (due < p.timer) {
            if (p.timer != Long.MAX_VALUE) {
                timers.deleteEventTimeTimer(p.timer);
            }
            timers.registerEventTimeTimer(due);
            p.timer = due;
        }
        return p;
    }

    /** Adds an event after every event that does not sort after it (equal events keep their arrival order). */
    @SuppressWarnings("unchecked")
    public void add(E e, Comparator<? super E> order) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        int i = size;
        while (i > 0 && order.compare((E) items[i - 1], e) > 0) {
            i--;
        }
        System.arraycopy(items, i, items, i + 1, size - i);
        items[i] = e;
        size++;
    }

    /** Drops the first {@code n} events (those taken). */
    public void removeFirst(int n) {
        System.arraycopy(items, n, items, 0, size - n);
        Arrays.fill(items, size - n, size, null);
        size -= n;
    }

    public void clear() {
        Arrays.fill(items, 0, size, null);
        size = 0;
    }

    /** The state format (version 1): the timer, the number of events, then each event. */
    public static final class Serializer<E> extends TypeSerializer<PendingEvents<E>> {
        private static final long serialVersionUID = 1L;
        private final TypeSerializer<E> element;

        public Serializer(TypeSerializer<E> element) {
            this.element = element;
        }

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public TypeSerializer<PendingEvents<E>> duplicate() {
            TypeSerializer<E> d = element.duplicate();
            return d == element ? this : new Serializer<>(d);
        }

        @Override
        public PendingEvents<E> createInstance() {
            return new PendingEvents<>();
        }

        @Override
        public PendingEvents<E> copy(PendingEvents<E> from) {
            PendingEvents<E> c = new PendingEvents<>(from.size);
            for (int i = 0; i < from.size; i++) {
                c.items[i] = element.copy(from.get(i));
            }
            c.size = from.size;
            c.timer = from.timer;
            return c;
        }

        @Override
        public PendingEvents<E> copy(PendingEvents<E> from, PendingEvents<E> reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(PendingEvents<E> p, DataOutputView out) throws IOException {
            out.writeLong(p.timer);
            out.writeInt(p.size);
            for (int i = 0; i < p.size; i++) {
                element.serialize(p.get(i), out);
            }
        }

        @Override
        public PendingEvents<E> deserialize(DataInputView in) throws IOException {
            long timer = in.readLong();
            int n = in.readInt();
            PendingEvents<E> p = new PendingEvents<>(n);
            for (int i = 0; i < n; i++) {
                p.items[i] = element.deserialize(in);
            }
            p.size = n;
            p.timer = timer;
            return p;
        }

        @Override
        public PendingEvents<E> deserialize(PendingEvents<E> reuse, DataInputView in) throws IOException {
            return deserialize(in);
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            serialize(deserialize(in), out);
        }

        @Override
        public boolean equals(Object obj) {
            return obj instanceof Serializer<?> other && other.element.equals(element);
        }

        @Override
        public int hashCode() {
            return element.hashCode();
        }

        @Override
        public TypeSerializerSnapshot<PendingEvents<E>> snapshotConfiguration() {
            return new Snapshot<>(this);
        }
    }

    /** Snapshot of {@link Serializer}: its element serializer's. */
    public static final class Snapshot<E> extends CompositeTypeSerializerSnapshot<PendingEvents<E>, Serializer<E>> {
        private static final int VERSION = 1;

        public Snapshot() {
        }

        Snapshot(Serializer<E> serializer) {
            super(serializer);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return VERSION;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(Serializer<E> outer) {
            return new TypeSerializer<?>[] {outer.element};
        }

        @Override
        @SuppressWarnings("unchecked")
        protected Serializer<E> createOuterSerializerWithNestedSerializers(TypeSerializer<?>[] nested) {
            return new Serializer<>((TypeSerializer<E>) nested[0]);
        }
    }
}
