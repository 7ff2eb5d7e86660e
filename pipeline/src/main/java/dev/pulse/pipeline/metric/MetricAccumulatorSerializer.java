package dev.pulse.pipeline.metric;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import java.io.IOException;
import java.util.HashSet;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/** The checkpoint format of a {@link MetricAccumulator} (version 1). */
public final class MetricAccumulatorSerializer extends TypeSerializerSingleton<MetricAccumulator> {
    private static final long serialVersionUID = 1L;
    public static final MetricAccumulatorSerializer INSTANCE = new MetricAccumulatorSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public MetricAccumulator createInstance() {
        return new MetricAccumulator();
    }

    @Override
    public MetricAccumulator copy(MetricAccumulator from) {
        return from.copy();
    }

    @Override
    public MetricAccumulator copy(MetricAccumulator from, MetricAccumulator reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(MetricAccumulator a, DataOutputView out) throws IOException {
        out.writeLong(a.events);
        out.writeLong(a.values);
        out.writeDouble(a.sum);
        out.writeDouble(a.min);
        out.writeDouble(a.max);
        out.writeLong(a.numerator);
        out.writeLong(a.denominator);
        out.writeBoolean(a.dirty);
        if (a.distinct == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(a.distinct.size());
            for (String s : a.distinct) {
                StringValue.writeString(s, out);
            }
        }
        if (a.sketch == null) {
            out.writeInt(-1);
        } else {
            // DDSketch's own encoding (with its index mapping), which decode() reads back;
            // serialize() is the protobuf format and does not round-trip through decode()
            GrowingByteArrayOutput bytes = GrowingByteArrayOutput.withDefaultInitialCapacity();
            a.sketch.encode(bytes, false);
            out.writeInt(bytes.numWrittenBytes());
            out.write(bytes.backingArray(), 0, bytes.numWrittenBytes());
        }
    }

    @Override
    public MetricAccumulator deserialize(DataInputView in) throws IOException {
        MetricAccumulator a = new MetricAccumulator();
        a.events = in.readLong();
        a.values = in.readLong();
        a.sum = in.readDouble();
        a.min = in.readDouble();
        a.max = in.readDouble();
        a.numerator = in.readLong();
        a.denominator = in.readLong();
        a.dirty = in.readBoolean();
        int distinct = in.readInt();
        if (distinct >= 0) {
            a.distinct = new HashSet<>(Math.max(16, distinct * 2));
            for (int i = 0; i < distinct; i++) {
                a.distinct.add(StringValue.readString(in));
            }
        }
        int sketchBytes = in.readInt();
        if (sketchBytes >= 0) {
            byte[] array = new byte[sketchBytes];
            in.readFully(array);
            a.sketch = DDSketch.decode(ByteArrayInput.wrap(array), MetricAccumulator::sketchStore);
        }
        return a;
    }

    @Override
    public MetricAccumulator deserialize(MetricAccumulator reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<MetricAccumulator> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the (stateless) serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<MetricAccumulator> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
