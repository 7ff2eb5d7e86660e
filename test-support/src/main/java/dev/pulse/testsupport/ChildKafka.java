package dev.pulse.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * A Kafka 3.4 broker ({@link KafkaBrokerConfig}) in a child JVM, for a module whose classpath
 * cannot hold the broker: Quarkus's kafka-clients 4.x does not run the 3.4 broker classes. The
 * child's classpath is the broker's own, resolved when this module was built
 * (kafka-broker.classpath beside this class); the caller needs only kafka-clients for {@link #admin()}.
 */
public final class ChildKafka implements AutoCloseable {
    private final ChildJvm process;
    private final int port;

    private ChildKafka(ChildJvm process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ChildKafka start() throws Exception {
        Path dir = Files.createTempDirectory("pulse-child-kafka-");
        Path logs = dir.resolve("data");
        KafkaBrokerConfig.format(logs);
        int port = KafkaBrokerConfig.freePort();
        Path config = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config)) {
            KafkaBrokerConfig.properties(logs, port, KafkaBrokerConfig.freePort()).store(out, "pulse test broker");
        }
        ChildJvm process = ChildJvm.start("kafka", List.of("-Xmx384m", "-XX:+UseSerialGC"),
                List.of("-cp", brokerClasspath(), "kafka.Kafka", config.toString()), Map.of(), dir, dir.resolve("broker.log"));
        ChildKafka kafka = new ChildKafka(process, port);
        try {
            KafkaBrokerConfig.awaitReady(kafka.bootstrapServers(), Duration.ofSeconds(60), () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the test broker exited");
                }
            });
        } catch (Exception e) {
            String log = kafka.tail();
            kafka.close();
            throw new IllegalStateException(e.getMessage() + ":\n" + log, e);
        }
        return kafka;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public Admin admin() {
        return KafkaBrokerConfig.admin(bootstrapServers());
    }

    @Override
    public void close() {
        process.stop(10);
        // the broker's directory: its log, config and data
        try (Stream<Path> files = Files.walk(process.log().getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(process.log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** kafka_2.13 3.4.0 and its dependencies: the paths maven-dependency-plugin wrote when this module was built. */
    static String brokerClasspath() {
        try (InputStream in = ChildKafka.class.getResourceAsStream("kafka-broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("kafka-broker.classpath is missing: build test-support with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
