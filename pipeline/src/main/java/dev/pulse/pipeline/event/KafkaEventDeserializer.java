package dev.pulse.pipeline.event;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses Kafka records straight into {@link Event}s inside the source, so event time is known
 * there and watermarks are generated per partition. Malformed records pass on, marked.
 *
 * <p>For a history read ({@link #history}) events are marked as history.
 */
public final class KafkaEventDeserializer implements KafkaRecordDeserializationSchema<Event> {
    private static final long serialVersionUID = 1L;
    private static final byte[] EMPTY = new byte[0];
    private final EventLayout layout;
    private final boolean history;
    private transient EventParser parser;

    /** The live source's deserializer. */
    public KafkaEventDeserializer(EventLayout layout) {
        this(layout, false);
    }

    public KafkaEventDeserializer(EventLayout layout, boolean history) {
        this.layout = layout;
        this.history = history;
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
        e.history = history;
        out.collect(e);
    }

    @Override
    public TypeInformation<Event> getProducedType() {
        return TypeInformation.of(Event.class);
    }
}
