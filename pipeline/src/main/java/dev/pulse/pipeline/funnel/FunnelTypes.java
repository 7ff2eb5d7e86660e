package dev.pulse.pipeline.funnel;

import dev.pulse.pipeline.types.Fields;
import dev.pulse.pipeline.types.HandWrittenType;
import dev.pulse.pipeline.types.PendingEvents;
import dev.pulse.pipeline.types.RecordSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The wire and state formats of a Funnel's records (version 1 each), written field by field:
 * {@link FunnelEvent} (to its actor), {@link AttemptUpdate} (to its row), {@link FunnelProgress}
 * and the actor's pending events (state), {@link FunnelRow} (to the sinks).
 */
public final class FunnelTypes {
    public static final TypeInformation<FunnelEvent> EVENT = new HandWrittenType<>(FunnelEvent.class, EventSerializer.INSTANCE);
    public static final TypeInformation<AttemptUpdate> UPDATE = new HandWrittenType<>(AttemptUpdate.class, UpdateSerializer.INSTANCE);
    public static final TypeInformation<FunnelProgress> PROGRESS = new HandWrittenType<>(FunnelProgress.class, ProgressSerializer.INSTANCE);
    public static final TypeInformation<FunnelRow> ROW = new HandWrittenType<>(FunnelRow.class, RowSerializer.INSTANCE);
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final TypeInformation<PendingEvents<FunnelEvent>> PENDING = new HandWrittenType<>(
            (Class<PendingEvents<FunnelEvent>>) (Class) PendingEvents.class, new PendingEvents.Serializer<>(EventSerializer.INSTANCE));

    private FunnelTypes() {
    }

    /** {@link FunnelEvent}. */
    public static final class EventSerializer extends RecordSerializer<FunnelEvent> {
        private static final long serialVersionUID = 1L;
        public static final EventSerializer INSTANCE = new EventSerializer();

        @Override
        public FunnelEvent createInstance() {
            return new FunnelEvent();
        }

        @Override
        public FunnelEvent copy(FunnelEvent from) {
            FunnelEvent e = new FunnelEvent();
            e.actor = from.actor;
            e.time = from.time;
            e.steps = from.steps;
            e.exclusions = from.exclusions;
            e.dimensions = from.dimensions; // never written after the event is built
            e.sequence = from.sequence;
            e.history = from.history;
            e.sourceWatermark = from.sourceWatermark;
            e.source = from.source;
            return e;
        }

        @Override
        public void serialize(FunnelEvent e, DataOutputView out) throws IOException {
            StringValue.writeString(e.actor, out);
            out.writeLong(e.time);
            out.writeInt(e.steps);
            out.writeInt(e.exclusions);
            Fields.writeStrings(e.dimensions, out);
            out.writeLong(e.sequence);
            out.writeBoolean(e.history);
            out.writeLong(e.sourceWatermark);
            out.writeInt(e.source);
        }

        @Override
        public FunnelEvent deserialize(DataInputView in) throws IOException {
            FunnelEvent e = new FunnelEvent();
            e.actor = StringValue.readString(in);
            e.time = in.readLong();
            e.steps = in.readInt();
            e.exclusions = in.readInt();
            e.dimensions = Fields.readStrings(in);
            e.sequence = in.readLong();
            e.history = in.readBoolean();
            e.sourceWatermark = in.readLong();
            e.source = in.readInt();
            return e;
        }

        @Override
        public TypeSerializerSnapshot<FunnelEvent> snapshotConfiguration() {
            return new EventSnapshot();
        }
    }

    /** Snapshot of {@link EventSerializer}. */
    public static final class EventSnapshot extends SimpleTypeSerializerSnapshot<FunnelEvent> {
        public EventSnapshot() {
            super(() -> EventSerializer.INSTANCE);
        }
    }

    /** {@link AttemptUpdate}. */
    public static final class UpdateSerializer extends RecordSerializer<AttemptUpdate> {
        private static final long serialVersionUID = 1L;
        public static final UpdateSerializer INSTANCE = new UpdateSerializer();

        @Override
        public AttemptUpdate createInstance() {
            return new AttemptUpdate();
        }

        @Override
        public AttemptUpdate copy(AttemptUpdate from) {
            AttemptUpdate u = new AttemptUpdate();
            u.actor = from.actor;
            u.start = from.start;
            u.dimensions = from.dimensions; // replaced, never written, by the group limit
            u.level = from.level;
            u.conversionMs = from.conversionMs;
            u.closed = from.closed;
            u.row = from.row;
            u.order = from.order;
            return u;
        }

        @Override
        public void serialize(AttemptUpdate u, DataOutputView out) throws IOException {
            StringValue.writeString(u.actor, out);
            out.writeLong(u.start);
            Fields.writeStrings(u.dimensions, out);
            out.writeInt(u.level);
            out.writeLong(u.conversionMs);
            out.writeBoolean(u.closed);
            StringValue.writeString(u.row, out);
            out.writeLong(u.order);
        }

        @Override
        public AttemptUpdate deserialize(DataInputView in) throws IOException {
            AttemptUpdate u = new AttemptUpdate();
            u.actor = StringValue.readString(in);
            u.start = in.readLong();
            u.dimensions = Fields.readStrings(in);
            u.level = in.readInt();
            u.conversionMs = in.readLong();
            u.closed = in.readBoolean();
            u.row = StringValue.readString(in);
            u.order = in.readLong();
            return u;
        }

        @Override
        public TypeSerializerSnapshot<AttemptUpdate> snapshotConfiguration() {
            return new UpdateSnapshot();
        }
    }

    /** Snapshot of {@link UpdateSerializer}. */
    public static final class UpdateSnapshot extends SimpleTypeSerializerSnapshot<AttemptUpdate> {
        public UpdateSnapshot() {
            super(() -> UpdateSerializer.INSTANCE);
        }
    }

    /** {@link FunnelProgress}. */
    public static final class ProgressSerializer extends RecordSerializer<FunnelProgress> {
        private static final long serialVersionUID = 1L;
        public static final ProgressSerializer INSTANCE = new ProgressSerializer();

        @Override
        public FunnelProgress createInstance() {
            return new FunnelProgress();
        }

        @Override
        public FunnelProgress copy(FunnelProgress from) {
            FunnelProgress p = new FunnelProgress();
            p.start = from.start;
            p.level = from.level;
            p.matchedSteps = from.matchedSteps;
            p.convertedAt = from.convertedAt;
            p.dimensions = from.dimensions; // replaced, never written, by the matcher
            p.order = from.order;
            return p;
        }

        @Override
        public void serialize(FunnelProgress p, DataOutputView out) throws IOException {
            out.writeLong(p.start);
            out.writeInt(p.level);
            out.writeInt(p.matchedSteps);
            out.writeLong(p.convertedAt);
            Fields.writeStrings(p.dimensions, out);
            out.writeLong(p.order);
        }

        @Override
        public FunnelProgress deserialize(DataInputView in) throws IOException {
            FunnelProgress p = new FunnelProgress();
            p.start = in.readLong();
            p.level = in.readInt();
            p.matchedSteps = in.readInt();
            p.convertedAt = in.readLong();
            p.dimensions = Fields.readStrings(in);
            p.order = in.readLong();
            return p;
        }

        @Override
        public TypeSerializerSnapshot<FunnelProgress> snapshotConfiguration() {
            return new ProgressSnapshot();
        }
    }

    /** Snapshot of {@link ProgressSerializer}. */
    public static final class ProgressSnapshot extends SimpleTypeSerializerSnapshot<FunnelProgress> {
        public ProgressSnapshot() {
            super(() -> ProgressSerializer.INSTANCE);
        }
    }

    /** {@link FunnelRow}. */
    public static final class RowSerializer extends RecordSerializer<FunnelRow> {
        private static final long serialVersionUID = 1L;
        public static final RowSerializer INSTANCE = new RowSerializer();

        @Override
        public FunnelRow createInstance() {
            return new FunnelRow();
        }

        @Override
        public FunnelRow copy(FunnelRow from) {
            return from.copy();
        }

        @Override
        public void serialize(FunnelRow r, DataOutputView out) throws IOException {
            out.writeLong(r.windowStart);
            out.writeLong(r.windowEnd);
            Fields.writeStrings(r.dimensions, out);
            out.writeBoolean(r.finalResult);
            Fields.writeLongs(r.counts, out);
            out.writeLong(r.medianConversionMs);
        }

        @Override
        public FunnelRow deserialize(DataInputView in) throws IOException {
            FunnelRow r = new FunnelRow();
            r.windowStart = in.readLong();
            r.windowEnd = in.readLong();
            r.dimensions = Fields.readStrings(in);
            r.finalResult = in.readBoolean();
            r.counts = Fields.readLongs(in);
            r.medianConversionMs = in.readLong();
            return r;
        }

        @Override
        public TypeSerializerSnapshot<FunnelRow> snapshotConfiguration() {
            return new RowSnapshot();
        }
    }

    /** Snapshot of {@link RowSerializer}. */
    public static final class RowSnapshot extends SimpleTypeSerializerSnapshot<FunnelRow> {
        public RowSnapshot() {
            super(() -> RowSerializer.INSTANCE);
        }
    }
}
