package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.testsupport.Checkout;
import dev.pulse.testsupport.EmbeddedKafka;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse local --events}: every non-blank line of the file reaches the named stream's topic as
 * it is (malformed ones too: admission judges them), and a file without a stream name goes to the
 * only stream, else to none with an error naming the streams.
 */
class EventFilesTest {
    @TempDir
    Path dir;

    @Test
    void everyNonBlankLineReachesTheStreamsTopicAsItIs() throws Exception {
        List<String> lines = List.of("{\"event\":\"purchase\",\"user_id\":\"u1\",\"ts\":1700000000000,\"platform\":\"ios\"}",
                "", "   ", "{not json", "{\"event\":\"view\",\"user_id\":\"ü2\",\"ts\":1700000001000}");
        Path file = dir.resolve("events.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        Progress quiet = new Progress(new PrintStream(new ByteArrayOutputStream()));
        try (ApiServer api = ApiServer.start(Ports.free(), Checkout.root().resolve("crds"));
                EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), Ports.free(), Ports.free())) {
            try (var admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic("shop-events", 3, (short) 1), new NewTopic("app-events", 1, (short) 1))).all().get();
            }
            api.client().resource(stream("shop-events", "shop-events")).create();
            Readiness readiness = new Readiness(quiet, () -> false);

            long sent = EventFiles.load(List.of(EventFiles.Load.parse(file.toString())), api.client(), readiness, kafka::admin,
                    kafka.bootstrapServers(), quiet);
            List<String> expected = lines.stream().filter(l -> !l.isBlank()).toList();
            assertThat(sent).isEqualTo(expected.size());
            assertThat(read(kafka, "shop-events", expected.size())).containsExactlyInAnyOrderElementsOf(expected);

            api.client().resource(stream("app-events", "app-events")).create();
            // among several streams, a file without a name goes to shop-events
            EventFiles.load(List.of(EventFiles.Load.parse(file.toString())), api.client(), readiness, kafka::admin, kafka.bootstrapServers(), quiet);
            assertThat(read(kafka, "shop-events", 2 * expected.size())).hasSize(2 * expected.size());
            assertThat(EventFiles.load(List.of(EventFiles.Load.parse("app-events=" + file)), api.client(), readiness, kafka::admin,
                    kafka.bootstrapServers(), quiet)).isEqualTo(expected.size());
            assertThat(read(kafka, "app-events", expected.size())).containsExactlyElementsOf(expected); // one partition: file order
            assertThatThrownBy(() -> EventFiles.load(List.of(EventFiles.Load.parse("nope=" + file)), api.client(), readiness, kafka::admin,
                    kafka.bootstrapServers(), quiet)).hasMessageContaining("no EventStream nope");
            api.client().genericKubernetesResources(PulseKinds.EVENT_STREAM.context()).inNamespace(LocalStack.NAMESPACE).withName("shop-events").delete();
            api.client().resource(stream("web-events", "app-events")).create();
            assertThatThrownBy(() -> EventFiles.load(List.of(EventFiles.Load.parse(file.toString())), api.client(), readiness, kafka::admin,
                    kafka.bootstrapServers(), quiet)).hasMessageContaining("name the stream").hasMessageContaining("[app-events, web-events]");
        }
        assertThatThrownBy(() -> EventFiles.Load.parse(dir.resolve("missing.jsonl").toString())).hasMessageContaining("no file");
    }

    private static GenericKubernetesResource stream(String name, String topic) {
        return new GenericKubernetesResourceBuilder().withApiVersion("pulse.dev/v1alpha1").withKind("EventStream")
                .withNewMetadata().withName(name).withNamespace(LocalStack.NAMESPACE).endMetadata()
                .addToAdditionalProperties("spec", Map.of("kafka", Map.of("topic", topic))).build();
    }

    private static List<String> read(EmbeddedKafka kafka, String topic, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "events-test-" + java.util.UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.size() < count && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }
}
