package dev.pulse.pipeline.sink;

import dev.pulse.pipeline.metric.MetricRow;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a Metric's rows to its result topic: JSON values keyed by window and dimension values. */
public final class ResultTopicSerializer implements KafkaRecordSerializationSchema<MetricRow> {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private final MetricRowJson json;

    public ResultTopicSerializer(String topic, MetricRowJson json) {
        this.topic = topic;
        this.json = json;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(MetricRow row, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, row.windowEnd,
                json.topicKey(row).getBytes(StandardCharsets.UTF_8), json.topicValue(row).getBytes(StandardCharsets.UTF_8));
    }
}
