package dev.pulse.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code pulse local --events [STREAM=]FILE,...}: a team's own events, JSON Lines read as
 * {@code pulse replay} reads them (UTF-8, one event per line, blank lines skipped), produced into the
 * stream's topic after the definitions are applied and before the stand-in Flink operator starts any
 * job, so the pipelines read them as history. Each line is sent as it is, without a key (the
 * producer spreads them over the partitions) and with the send time as Kafka timestamp, so
 * admission judges them as it judges live records; malformed lines go where live malformed records
 * go (the stream's dead-letter topic and {@code status.input}).
 */
final class EventFiles {
    private EventFiles() {
    }

    /**
     * One {@code --events} value.
     *
     * @param stream the EventStream's name, or null for the only one (else {@code shop-events})
     * @param file the JSON Lines file
     */
    record Load(String stream, Path file) {
        static Load parse(String value) {
            int eq = value.indexOf('=');
            String stream = eq > 0 ? value.substring(0, eq) : null;
            Path file = Path.of(eq > 0 ? value.substring(eq + 1) : value).toAbsolutePath();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--events: no file " + file);
            }
            return new Load(stream, file);
        }
    }

    /** Loads every file into its stream's topic once the topic exists; the number of events sent. */
    static long load(List<Load> loads, KubernetesClient client, Readiness readiness, Supplier<Admin> admins, String bootstrapServers,
            Progress progress) throws Exception {
        long total = 0;
        try (Admin admin = admins.get(); KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
            for (Load load : loads) {
                GenericKubernetesResource stream = stream(client, load.stream());
                String name = stream.getMetadata().getName();
                Object topicName = PulseKinds.path(stream.getAdditionalProperties().get("spec"), "kafka", "topic");
                if (!(topicName instanceof String)) {
                    throw new IllegalStateException("--events: EventStream " + name + " names no spec.kafka.topic");
                }
                String topic = readiness.awaitTopic(admin, () -> (String) topicName, 300);
                if (topic == null) {
                    throw new IllegalStateException("--events: the topic " + topicName + " of EventStream " + name + " did not appear in 5 minutes");
                }
                long sent = send(producer, topic, load.file());
                total += sent;
                progress.step("events", sent + " events from " + load.file() + " into topic " + topic + " (EventStream " + name + ")");
            }
        }
        return total;
    }

    private static long send(KafkaProducer<byte[], byte[]> producer, String topic, Path file) throws Exception {
        long sent = 0;
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    producer.send(new ProducerRecord<>(topic, line.getBytes(StandardCharsets.UTF_8)));
                    sent++;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("--events: cannot read " + file + ": " + e.getMessage(), e);
        }
        producer.flush();
        return sent;
    }

    private static GenericKubernetesResource stream(KubernetesClient client, String name) {
        List<GenericKubernetesResource> streams = client.genericKubernetesResources(PulseKinds.EVENT_STREAM.context())
                .inNamespace(LocalStack.NAMESPACE).list().getItems();
        List<String> names = streams.stream().map(s -> s.getMetadata().getName()).sorted().toList();
        String wanted = name != null ? name : names.size() == 1 ? names.get(0) : names.contains("shop-events") ? "shop-events" : null;
        if (wanted == null) {
            throw new IllegalStateException("--events: name the stream (STREAM=FILE); the definitions have " + names);
        }
        return streams.stream().filter(s -> s.getMetadata().getName().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalStateException("--events: no EventStream " + wanted + " in the definitions " + names));
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 << 20));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(TimeUnit.MINUTES.toMillis(2)));
        return new KafkaProducer<>(p);
    }
}
