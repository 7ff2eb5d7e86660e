package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.validate.DefinitionFiles;
import dev.pulse.api.validate.DefinitionValidator;
import dev.pulse.cli.Pulse;
import dev.pulse.testsupport.Checkout;
import dev.pulse.testsupport.EmbeddedKafka;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pulse plan} without {@code --against} on local's classpath, against a stack made of its
 * parts (an in-memory API server with definitions, a broker with records, the stack file naming
 * them): the classes come from the API server's definitions, the records from the broker.
 */
class PlanAgainstStackTest {
    private static final long HOUR = 3_600_000L;
    private static final String STREAM = """
            apiVersion: pulse.dev/v1alpha1
            kind: EventStream
            metadata: {name: shop-events}
            spec:
              kafka: {topic: plan-events, partitions: 2, retention: 7d}
              eventTypeField: event
              actorField: user_id
              timestamp: {field: ts, format: epochMillis}
              fields: [{name: platform, type: string}]
            """;
    private static final String ORDERS = """
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: orders}
            spec:
              stream: shop-events
              events: [purchase]
              aggregation: {type: count}
              window: {type: tumbling, size: 1m}
            """;

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static ApiServer api;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), Ports.free(), Ports.free());
        api = ApiServer.start(Ports.free(), Checkout.root().resolve("crds"));
        // what runs: the stream, orders and a by-platform metric
        for (HasMetadata r : resources(STREAM, ORDERS, with(ORDERS, "orders", "by-platform") + "  dimensions: [platform]\n")) {
            api.client().resource(r).create();
        }
        // the topic: partition 0 holds 4 records 3h old and 2 records 10m old; partition 1 holds 3 records 30m old
        kafka.createTopic("plan-events", 2);
        long now = System.currentTimeMillis();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>("plan-events", 0, now - 3 * HOUR, null, "{}".getBytes())).get();
            }
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("plan-events", 1, now - HOUR / 2, null, "{}".getBytes())).get();
            }
            for (int i = 0; i < 2; i++) {
                producer.send(new ProducerRecord<>("plan-events", 0, now - HOUR / 6, null, "{}".getBytes())).get();
            }
        }
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @AfterEach
    void forgetDataDir() {
        System.clearProperty("pulse.data");
    }

    private static String with(String yaml, String from, String to) {
        assertThat(yaml).contains(from);
        return yaml.replace(from, to);
    }

    private static List<HasMetadata> resources(String... yamls) throws Exception {
        Path d = Files.createTempDirectory(dir, "defs");
        for (int i = 0; i < yamls.length; i++) {
            Files.writeString(d.resolve(i + ".yaml"), yamls[i]);
        }
        List<dev.pulse.api.validate.Finding> unreadable = new ArrayList<>();
        DefinitionValidator.Result result = new DefinitionValidator().validate(
                DefinitionFiles.load(DefinitionFiles.yamlFiles(List.of(d)), "default", unreadable));
        assertThat(result.findings()).isEmpty();
        return result.resources();
    }

    private static Path definitions(String... yamls) throws Exception {
        Path d = Files.createTempDirectory(dir, "after");
        for (int i = 0; i < yamls.length; i++) {
            Files.writeString(d.resolve(i + ".yaml"), yamls[i]);
        }
        return d;
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new Pulse()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    /** ANALYSIS to "CHANGE RECORDS" from the analysis table. */
    private static Map<String, String> rows(String out) {
        Map<String, String> rows = new LinkedHashMap<>();
        List<String> lines = out.lines().toList();
        int header = 0;
        while (!lines.get(header).startsWith("NAMESPACE")) {
            header++;
        }
        for (int i = header + 1; i < lines.size() && !lines.get(i).isBlank(); i++) {
            String[] cells = lines.get(i).trim().split("\\s{2,}");
            rows.put(cells[1], cells[2] + " " + cells[4]);
        }
        return rows;
    }

    @Test
    void comparesWithTheStacksDefinitionsAndCountsTheRecordsEachBackfillReads() throws Exception {
        Path stackDir = Files.createTempDirectory(dir, "data");
        StackFile.write(stackDir, Map.of("pid", ProcessHandle.current().pid(), "apiServer", api.url(),
                "kafkaBootstrapServers", kafka.bootstrapServers()));
        System.setProperty("pulse.data", stackDir.toString());
        Path after = definitions(STREAM,
                ORDERS,                                                                          // unchanged
                with(ORDERS, "orders", "by-platform") + "  dimensions: [platform]\n  emitEvery: 30s\n", // settings only
                with(ORDERS, "orders", "revenue"),                                               // new, from the earliest record
                with(ORDERS, "orders", "recent") + "  backfill: {from: 1h}\n",                   // new, from an hour back
                with(ORDERS, "orders", "from-now") + "  backfill: {from: none}\n");              // new, nothing to read
        String[] run = run("plan", "-f", after.toString());
        assertThat(run[0]).as(run[2]).isEqualTo("0");
        assertThat(run[1]).startsWith("Compared with the local stack (Kubernetes API " + api.url() + ", Kafka " + kafka.bootstrapServers() + ")");
        assertThat(rows(run[1])).containsExactly(
                Map.entry("Metric/by-platform", "SettingsOnly -"),
                Map.entry("Metric/from-now", "New 0"),
                Map.entry("Metric/orders", "Unchanged -"),
                Map.entry("Metric/recent", "New 5"),      // 2 records 10m old + 3 records 30m old
                Map.entry("Metric/revenue", "New 9"));    // all 9
    }

    @Test
    void withNoStackRunningEveryAnalysisIsNew() throws Exception {
        System.setProperty("pulse.data", Files.createTempDirectory(dir, "empty").toString());
        String[] run = run("plan", "-f", definitions(STREAM, ORDERS).toString());
        assertThat(run[0]).as(run[2]).isEqualTo("0");
        assertThat(run[1].lines().findFirst().orElseThrow()).isEqualTo(
                "Nothing running to compare with (no local stack; clusters are not read yet): every analysis is New.");
        assertThat(run[1]).contains("Metric/orders").contains(" New ");
        assertThat(run[1]).doesNotContain("Unchanged");
    }
}
