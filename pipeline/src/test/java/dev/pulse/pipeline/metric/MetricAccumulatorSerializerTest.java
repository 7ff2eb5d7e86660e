package dev.pulse.pipeline.metric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.v1alpha1.metric.AggregationType;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class MetricAccumulatorSerializerTest {
    @Test
    void everyPartRoundTrips() throws Exception {
        MetricAccumulator a = new MetricAccumulator();
        for (int i = 0; i < 1000; i++) {
            Observation o = new Observation();
            o.number = i * 1.5 - 100;
            o.text = "u-" + (i % 37);
            o.flags = Observation.HAS_NUMBER | Observation.NUMERATOR;
            a.add(AggregationType.percentile, o);
            a.add(AggregationType.countDistinct, o);
            a.add(AggregationType.ratio, o);
        }
        a.dirty = true;
        DataOutputSerializer out = new DataOutputSerializer(64);
        MetricAccumulatorSerializer.INSTANCE.serialize(a, out);
        MetricAccumulator b = MetricAccumulatorSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(b.events).isEqualTo(a.events);
        assertThat(b.values).isEqualTo(a.values);
        assertThat(b.sum).isEqualTo(a.sum);
        assertThat(b.min).isEqualTo(a.min);
        assertThat(b.max).isEqualTo(a.max);
        assertThat(b.numerator).isEqualTo(a.numerator);
        assertThat(b.distinct).isEqualTo(a.distinct);
        assertThat(b.dirty).isTrue();
        for (double q : new double[] {0, 0.5, 0.9, 0.99, 1}) {
            assertThat(b.sketch.getValueAtQuantile(q)).isEqualTo(a.sketch.getValueAtQuantile(q));
        }
        MetricAccumulator c = MetricAccumulatorSerializer.INSTANCE.copy(a);
        c.distinct.add("new");
        assertThat(a.distinct).doesNotContain("new");
    }
}
