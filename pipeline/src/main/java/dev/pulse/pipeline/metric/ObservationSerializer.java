package dev.pulse.pipeline.metric;

import java.io.IOException;
import dev.pulse.pipeline.types.HandWrittenType;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The wire format of an {@link Observation}: every event of every metric crosses the network as
 * one, so it is written field by field here rather than by Flink's reflective POJO serializer.
 */
public final class ObservationSerializer extends TypeSerializerSingleton<Observation> {
    private static final long serialVersionUID = 1L;
    public static final ObservationSerializer INSTANCE = new ObservationSerializer();
    /** The type information that hands out this serializer. */
    public static final TypeInformation<Observation> TYPE = new HandWrittenType<>(Observation.class, INSTANCE);

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Observation createInstance() {
        return new Observation();
    }

    @Override
    public Observation copy(Observation from) {
        Observation o = new Observation();
        o.key = from.key;
        o.time = from.time;
        o.number = from.number;
        o.text = from.text;
        o.flags = from.flags;
        o.sourceWatermark = from.sourceWatermark;
        o.source = from.source;
        o.position = from.position;
        return o;
    }

    @Override
    public Observation copy(Observation from, Observation reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Observation o, DataOutputView out) throws IOException {
        StringValue.writeString(o.key, out);
        out.writeLong(o.time);
        out.writeDouble(o.number);
        StringValue.writeString(o.text, out);
        out.writeByte(o.flags);
        out.writeLong(o.sourceWatermark);
        out.writeInt(o.source);
        out.writeLong(o.position);
    }

    @Override
    public Observation deserialize(DataInputView in) throws IOException {
        return deserialize(new Observation(), in);
    }

    @Override
    public Observation deserialize(Observation reuse, DataInputView in) throws IOException {
        reuse.key = StringValue.readString(in);
        reuse.time = in.readLong();
        reuse.number = in.readDouble();
        reuse.text = StringValue.readString(in);
        reuse.flags = in.readByte();
        reuse.sourceWatermark = in.readLong();
        reuse.source = in.readInt();
        reuse.position = in.readLong();
        return reuse;
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<Observation> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the (stateless) serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Observation> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
