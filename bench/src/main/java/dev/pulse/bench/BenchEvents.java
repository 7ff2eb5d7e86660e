package dev.pulse.bench;

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

    private BenchEvents() {
    }

    static void produce(String bootstrap, String topic, int partitions, long count) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        String[] types = {"purchase", "purchase", "checkout_start", "view", "view", "view", "add_to_cart"};
        String[] platforms = {"ios", "android", "web"};
        String[] countries = {"US", "DE", "FR", "GB", "JP", "BR", "IN", "CA"};
        Random r = new Random(1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            StringBuilder b = new StringBuilder(160);
            for (long i = 0; i < count; i++) {
                long ts = T0 + i * 2 - r.nextInt(2000);
                b.setLength(0);
                b.append("{\"event\":\"").append(types[r.nextInt(types.length)])
                        .append("\",\"user_id\":\"u-").append(r.nextInt(50_000))
                        .append("\",\"ts\":").append(ts)
                        .append(",\"platform\":\"").append(platforms[r.nextInt(platforms.length)])
                        .append("\",\"country\":\"").append(countries[r.nextInt(countries.length)])
                        .append("\",\"amount\":").append(r.nextInt(100_000) / 100.0)
                        .append(",\"session\":\"s-").append(r.nextInt(1_000_000)).append("\"}");
                producer.send(new ProducerRecord<>(topic, (int) (i % partitions), null, b.toString()));
            }
        }
    }
}
