package dev.pulse.pipeline.types;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/** How hand-written serializers write the field types they share (strings may be null). */
public final class Fields {
    private Fields() {
    }

    /** A nullable array of nullable strings. */
    public static void writeStrings(String[] values, DataOutputView out) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.length);
        for (String v : values) {
            StringValue.writeString(v, out);
        }
    }

    public static String[] readStrings(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            values[i] = StringValue.readString(in);
        }
        return values;
    }

    /** A nullable array of longs. */
    public static void writeLongs(long[] values, DataOutputView out) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    public static long[] readLongs(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readLong();
        }
        return values;
    }
}
