package dev.pulse.pipeline.event;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses Kafka records straight into {@link Event}s inside the source, so event time is known
 * there and watermarks are generated per partition. Malformed records pass on, marked.
 */
public final class KafkaEventDeserializer implements KafkaRecordDeserializationSchema<Event> {
    private static final long serialVersionUID = 1L;
    private static final byte[] EMPTY = new byte[0];
    private final EventLayout layout;
    private transient EventParser parser;

    public KafkaEventDeserializer(EventLayout layout) {
        this.layout = layout;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parser = new EventParser(layout);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Event> out) {
        if (parser == null) {
            parser = new EventParser(layout);
        }
        Event e = parser.parse(record.value() == null ? EMPTY : record.value());
        e.source = record.partition();
        e.position = record.offset();
        out.collect(e);
    }

    @Override
    public TypeInformation<Event> getProducedType() {
        return TypeInformation.of(Event.class);
    }
}
