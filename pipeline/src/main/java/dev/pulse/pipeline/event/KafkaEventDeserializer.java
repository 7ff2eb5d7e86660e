package dev.pulse.pipeline.event;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses Kafka records straight into {@link Event}s inside the source, so event time is known
 * there and watermarks are generated per partition. Malformed records pass on, marked, with their
 * original key and value. The Kafka timestamp is each record's reference time for
 * {@code future-time} and bounds what it does to the watermark ({@link EventWatermarks}).
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
        // the reference of future-time: the record's Kafka timestamp (none: no such check)
        long timestamp = record.timestamp() >= 0 ? record.timestamp() : EventParser.NO_REFERENCE;
        Event e = parser.parse(record.value() == null ? EMPTY : record.value(), timestamp);
        if (e.isMalformed()) {
            e.key = record.key();
            e.value = record.value();
        }
        e.recordTime = record.timestamp() >= 0 ? record.timestamp() : Long.MAX_VALUE;
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
