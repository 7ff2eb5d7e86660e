package dev.pulse.pipeline.sink;

import dev.pulse.api.plan.DeadLetters;
import dev.pulse.pipeline.event.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Writes dead letters to the stream's dead-letter topic (docs/bad-events.md): the original key and
 * value bytes, unchanged, with the headers {@link DeadLetters#REASON}, {@link DeadLetters#PARTITION}
 * and {@link DeadLetters#OFFSET} (decimal strings).
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        List<Header> headers = List.of(
                header(DeadLetters.REASON, d.reason.code()),
                header(DeadLetters.PARTITION, Integer.toString(d.source)),
                header(DeadLetters.OFFSET, Long.toString(d.position)));
        return new ProducerRecord<>(topic, null, null, d.key, d.value, headers);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
