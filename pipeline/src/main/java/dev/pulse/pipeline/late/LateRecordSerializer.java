package dev.pulse.pipeline.late;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pulse.api.plan.DeadLetters;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a late event to the stream's dead-letter topic, once per analysis it was late for:
 * headers {@code pulse-reason: late}, {@code pulse-partition}, {@code pulse-offset} and
 * {@code pulse-analysis}; no key; as value a small JSON description,
 * {@code {"analysis","time","actor","partition","offset"}} ({@code time} in RFC 3339, {@code actor}
 * only when the analysis follows actors). The original record is at that partition and offset of
 * the input topic while the topic retains it.
 */
public final class LateRecordSerializer implements KafkaRecordSerializationSchema<LateRecord> {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();
    private final String topic;

    public LateRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(LateRecord r, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetters.REASON, DeadLetters.Reason.LATE.code().getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.PARTITION, Integer.toString(r.partition).getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.OFFSET, Long.toString(r.offset).getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.ANALYSIS, r.analysis.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, null, null, json(r).getBytes(StandardCharsets.UTF_8), headers);
    }

    /** The value: {@code {"analysis","time","actor","partition","offset"}}. */
    public static String json(LateRecord r) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("analysis", r.analysis);
            g.writeStringField("time", Instant.ofEpochMilli(r.time).toString());
            if (r.actor != null) {
                g.writeStringField("actor", r.actor);
            }
            g.writeNumberField("partition", r.partition);
            g.writeNumberField("offset", r.offset);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
