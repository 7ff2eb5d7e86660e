package dev.pulse.pipeline.types;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;

/**
 * Refuses a job graph in which a record would travel or be keyed with Flink's Kryo serializer, or
 * with its reflective POJO serializer for any type but the few listed in {@link #POJO_LEFT} (the
 * parsed event, the dead letters and the rows that go to the sinks; every record of an analysis's
 * keyed path has a hand-written serializer). Flink's {@code pipeline.generic-types: false} already
 * refuses Kryo when the serializer is created; this check also refuses a POJO serializer where a
 * hand-written one is expected, when the graph is built.
 */
public final class GraphTypes {
    /** The types that still use Flink's POJO serializer (none of them on a funnel's or retention's keyed path). */
    public static final Set<String> POJO_LEFT = Set.of("dev.pulse.pipeline.event.Event", "dev.pulse.pipeline.event.DeadLetter",
            "dev.pulse.pipeline.metric.MetricRow", "dev.pulse.pipeline.late.LateRecord", "dev.pulse.pipeline.anomaly.AnomalyRow");

    private GraphTypes() {
    }

    /** Throws when a serializer of the graph is Kryo's, or POJO's for a type not in {@link #POJO_LEFT}. */
    public static void check(StreamGraph graph) {
        List<String> refused = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            check(node, "output", node.getTypeSerializerOut(), refused);
            TypeSerializer<?>[] in = node.getTypeSerializersIn();
            for (int i = 0; i < in.length; i++) {
                check(node, "input " + i, in[i], refused);
            }
            check(node, "key", node.getStateKeySerializer(), refused);
        }
        if (!refused.isEmpty()) {
            throw new IllegalStateException("records without a hand-written serializer: " + String.join("; ", refused));
        }
    }

    private static void check(StreamNode node, String where, TypeSerializer<?> s, List<String> refused) {
        if (s instanceof KryoSerializer<?>) {
            refused.add(node.getOperatorName() + " " + where + ": Kryo serializer");
        } else if (s instanceof PojoSerializer<?> p) {
            String type = p.createInstance().getClass().getName();
            if (!POJO_LEFT.contains(type)) {
                refused.add(node.getOperatorName() + " " + where + ": POJO serializer for " + type);
            }
        }
    }
}
