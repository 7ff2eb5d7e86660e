package dev.pulse.pipeline.retention;

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
 * The wire and state formats of a Retention's records (version 1 each), written field by field:
 * {@link RetentionEvent} (to its actor), {@link MemberUpdate} (to its cohort row),
 * {@link RetentionMember} and the actor's pending events (state), {@link RetentionRow} (to the sinks).
 */
public final class RetentionTypes {
    public static final TypeInformation<RetentionEvent> EVENT = new HandWrittenType<>(RetentionEvent.class, EventSerializer.INSTANCE);
    public static final TypeInformation<MemberUpdate> UPDATE = new HandWrittenType<>(MemberUpdate.class, UpdateSerializer.INSTANCE);
    public static final TypeInformation<RetentionMember> MEMBER = new HandWrittenType<>(RetentionMember.class, MemberSerializer.INSTANCE);
    public static final TypeInformation<RetentionRow> ROW = new HandWrittenType<>(RetentionRow.class, RowSerializer.INSTANCE);
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final TypeInformation<PendingEvents<RetentionEvent>> PENDING = new HandWrittenType<>(
            (Class<PendingEvents<RetentionEvent>>) (Class) PendingEvents.class, new PendingEvents.Serializer<>(EventSerializer.INSTANCE));

    private RetentionTypes() {
    }

    /** {@link RetentionEvent}. */
    public static final class EventSerializer extends RecordSerializer<RetentionEvent> {
        private static final long serialVersionUID = 1L;
        public static final EventSerializer INSTANCE = new EventSerializer();

        @Override
        public RetentionEvent createInstance() {
            return new RetentionEvent();
        }

        @Override
        public RetentionEvent copy(RetentionEvent from) {
            RetentionEvent e = new RetentionEvent();
            e.actor = from.actor;
            e.time = from.time;
            e.cohort = from.cohort;
            e.returning = from.returning;
            e.dimensions = from.dimensions; // never written after the event is built
            e.history = from.history;
            e.sourceWatermark = from.sourceWatermark;
            e.source = from.source;
            e.position = from.position;
            return e;
        }

        @Override
        public void serialize(RetentionEvent e, DataOutputView out) throws IOException {
            StringValue.writeString(e.actor, out);
            out.writeLong(e.time);
            out.writeByte((e.cohort ? 1 : 0) | (e.returning ? 2 : 0) | (e.history ? 4 : 0));
            Fields.writeStrings(e.dimensions, out);
            out.writeLong(e.sourceWatermark);
            out.writeInt(e.source);
            out.writeLong(e.position);
        }

        @Override
        public RetentionEvent deserialize(DataInputView in) throws IOException {
            RetentionEvent e = new RetentionEvent();
            e.actor = StringValue.readString(in);
            e.time = in.readLong();
            int flags = in.readByte();
            e.cohort = (flags & 1) != 0;
            e.returning = (flags & 2) != 0;
            e.history = (flags & 4) != 0;
            e.dimensions = Fields.readStrings(in);
            e.sourceWatermark = in.readLong();
            e.source = in.readInt();
            e.position = in.readLong();
            return e;
        }

        @Override
        public TypeSerializerSnapshot<RetentionEvent> snapshotConfiguration() {
            return new EventSnapshot();
        }
    }

    /** Snapshot of {@link EventSerializer}. */
    public static final class EventSnapshot extends SimpleTypeSerializerSnapshot<RetentionEvent> {
        public EventSnapshot() {
            super(() -> EventSerializer.INSTANCE);
        }
    }

    /** {@link MemberUpdate}. */
    public static final class UpdateSerializer extends RecordSerializer<MemberUpdate> {
        private static final long serialVersionUID = 1L;
        public static final UpdateSerializer INSTANCE = new UpdateSerializer();

        @Override
        public MemberUpdate createInstance() {
            return new MemberUpdate();
        }

        @Override
        public MemberUpdate copy(MemberUpdate from) {
            MemberUpdate u = new MemberUpdate();
            u.actor = from.actor;
            u.cohortStart = from.cohortStart;
            u.dimensions = from.dimensions; // replaced, never written, by the group limit
            u.retained = from.retained == null ? null : from.retained.clone();
            u.row = from.row;
            u.at = from.at;
            u.order = from.order;
            return u;
        }

        @Override
        public void serialize(MemberUpdate u, DataOutputView out) throws IOException {
            StringValue.writeString(u.actor, out);
            out.writeLong(u.cohortStart);
            Fields.writeStrings(u.dimensions, out);
            Fields.writeLongs(u.retained, out);
            StringValue.writeString(u.row, out);
            out.writeLong(u.at);
            out.writeLong(u.order);
        }

        @Override
        public MemberUpdate deserialize(DataInputView in) throws IOException {
            MemberUpdate u = new MemberUpdate();
            u.actor = StringValue.readString(in);
            u.cohortStart = in.readLong();
            u.dimensions = Fields.readStrings(in);
            u.retained = Fields.readLongs(in);
            u.row = StringValue.readString(in);
            u.at = in.readLong();
            u.order = in.readLong();
            return u;
        }

        @Override
        public TypeSerializerSnapshot<MemberUpdate> snapshotConfiguration() {
            return new UpdateSnapshot();
        }
    }

    /** Snapshot of {@link UpdateSerializer}. */
    public static final class UpdateSnapshot extends SimpleTypeSerializerSnapshot<MemberUpdate> {
        public UpdateSnapshot() {
            super(() -> UpdateSerializer.INSTANCE);
        }
    }

    /** {@link RetentionMember}. */
    public static final class MemberSerializer extends RecordSerializer<RetentionMember> {
        private static final long serialVersionUID = 1L;
        public static final MemberSerializer INSTANCE = new MemberSerializer();

        @Override
        public RetentionMember createInstance() {
            return new RetentionMember();
        }

        @Override
        public RetentionMember copy(RetentionMember from) {
            RetentionMember m = new RetentionMember();
            m.cohortTime = from.cohortTime;
            m.dimensions = from.dimensions;
            m.retained = from.retained == null ? null : from.retained.clone(); // written in place by the tracker
            m.order = from.order;
            return m;
        }

        @Override
        public void serialize(RetentionMember m, DataOutputView out) throws IOException {
            out.writeLong(m.cohortTime);
            Fields.writeStrings(m.dimensions, out);
            Fields.writeLongs(m.retained, out);
            out.writeLong(m.order);
        }

        @Override
        public RetentionMember deserialize(DataInputView in) throws IOException {
            RetentionMember m = new RetentionMember();
            m.cohortTime = in.readLong();
            m.dimensions = Fields.readStrings(in);
            m.retained = Fields.readLongs(in);
            m.order = in.readLong();
            return m;
        }

        @Override
        public TypeSerializerSnapshot<RetentionMember> snapshotConfiguration() {
            return new MemberSnapshot();
        }
    }

    /** Snapshot of {@link MemberSerializer}. */
    public static final class MemberSnapshot extends SimpleTypeSerializerSnapshot<RetentionMember> {
        public MemberSnapshot() {
            super(() -> MemberSerializer.INSTANCE);
        }
    }

    /** {@link RetentionRow}. */
    public static final class RowSerializer extends RecordSerializer<RetentionRow> {
        private static final long serialVersionUID = 1L;
        public static final RowSerializer INSTANCE = new RowSerializer();

        @Override
        public RetentionRow createInstance() {
            return new RetentionRow();
        }

        @Override
        public RetentionRow copy(RetentionRow from) {
            return from.copy();
        }

        @Override
        public void serialize(RetentionRow r, DataOutputView out) throws IOException {
            out.writeLong(r.windowStart);
            out.writeLong(r.windowEnd);
            Fields.writeStrings(r.dimensions, out);
            out.writeBoolean(r.finalResult);
            out.writeLong(r.cohortSize);
            Fields.writeLongs(r.retained, out);
            out.writeInt(r.complete.length);
            for (boolean c : r.complete) {
                out.writeBoolean(c);
            }
        }

        @Override
        public RetentionRow deserialize(DataInputView in) throws IOException {
            RetentionRow r = new RetentionRow();
            r.windowStart = in.readLong();
            r.windowEnd = in.readLong();
            r.dimensions = Fields.readStrings(in);
            r.finalResult = in.readBoolean();
            r.cohortSize = in.readLong();
            r.retained = Fields.readLongs(in);
            r.complete = new boolean[in.readInt()];
            for (int i = 0; i < r.complete.length; i++) {
                r.complete[i] = in.readBoolean();
            }
            return r;
        }

        @Override
        public TypeSerializerSnapshot<RetentionRow> snapshotConfiguration() {
            return new RowSnapshot();
        }
    }

    /** Snapshot of {@link RowSerializer}. */
    public static final class RowSnapshot extends SimpleTypeSerializerSnapshot<RetentionRow> {
        public RowSnapshot() {
            super(() -> RowSerializer.INSTANCE);
        }
    }
}
