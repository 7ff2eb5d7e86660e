package dev.pulse.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** The benchmark's input: shop events pre-loaded into Kafka, 500 per second of event time. */
final class BenchEvents {
    static final long T0 = 1_767_225_600_000L;
    static final String STREAM = """
            apiVersion: pulse.dev/v1alpha1
            kind: EventStream
            metadata: {name: shop-events, namespace: bench}
            spec:
              kafka: {cluster: bench, topic: TOPIC, partitions: 2, replicas: 1}
              eventTypeField: event
              actorField: user_id
              timestamp: {field: ts, format: epochMillis}
              watermark: {maxOutOfOrderness: 5s, idleTimeout: 1m}
              fields:
                - {name: platform, type: string}
                - {name: country, type: string}
                - {name: amount, type: double}
            """;
    private static final String[] TYPES = {"purchase", "purchase", "checkout_start", "view", "view", "view", "add_to_cart"};
    private static final String[] PLATFORMS = {"ios", "android", "web"};
    private static final String[] COUNTRIES = {"US", "DE", "FR", "GB", "JP", "BR", "IN", "CA"};

    private BenchEvents() {
    }

    /**
     * What was loaded: the record count, the purchases among them (what the count metric counts),
     * and per partition the latest event time.
     */
    record Loaded(long records, long purchases, long[] maxTimePerPartition) {
        long maxTime() {
            long max = Long.MIN_VALUE;
            for (long t : maxTimePerPartition) {
                max = Math.max(max, t);
            }
            return max;
        }

        long minOfPartitionMaxTimes() {
            long min = Long.MAX_VALUE;
            for (long t : maxTimePerPartition) {
                min = Math.min(min, t);
            }
            return min;
        }
    }

    static void produce(String bootstrap, String topic, int partitions, long count) throws IOException {
        produce(bootstrap, topic, partitions, count, null);
    }

    /**
     * Sends {@code count} events round-robin over the partitions (event i at {@code T0 + 2i} less up
     * to 2 s) and, when {@code alsoTo} is given, writes the same events there as JSON Lines.
     */
    static Loaded produce(String bootstrap, String topic, int partitions, long count, Path alsoTo) throws IOException {
        Random r = new Random(1);
        long purchases = 0;
        long[] maxTime = new long[partitions];
        java.util.Arrays.fill(maxTime, Long.MIN_VALUE);
        try (KafkaProducer<String, String> producer = producer(bootstrap);
                BufferedWriter file = alsoTo == null ? null : Files.newBufferedWriter(alsoTo, StandardCharsets.UTF_8)) {
            StringBuilder b = new StringBuilder(160);
            for (long i = 0; i < count; i++) {
                long ts = T0 + i * 2 - r.nextInt(2000);
                String type = line(b, r, ts);
                int partition = (int) (i % partitions);
                producer.send(new ProducerRecord<>(topic, partition, null, b.toString()));
                if (file != null) {
                    file.append(b).append('\n');
                }
                if (type.equals("purchase")) {
                    purchases++;
                }
                maxTime[partition] = Math.max(maxTime[partition], ts);
            }
        }
        return new Loaded(count, purchases, maxTime);
    }

    /** One event at {@code ts} into {@code b}; its type. */
    static String line(StringBuilder b, Random r, long ts) {
        String type = TYPES[r.nextInt(TYPES.length)];
        b.setLength(0);
        b.append("{\"event\":\"").append(type)
                .append("\",\"user_id\":\"u-").append(r.nextInt(50_000))
                .append("\",\"ts\":").append(ts)
                .append(",\"platform\":\"").append(PLATFORMS[r.nextInt(PLATFORMS.length)])
                .append("\",\"country\":\"").append(COUNTRIES[r.nextInt(COUNTRIES.length)])
                .append("\",\"amount\":").append(r.nextInt(100_000) / 100.0)
                .append(",\"session\":\"s-").append(r.nextInt(1_000_000)).append("\"}");
        return type;
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
