package dev.pulse.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Time;

/**
 * A Kafka 3.4 broker in this JVM ({@link KafkaBrokerConfig}), started in a few seconds. Needs
 * kafka_2.13 3.4.0 and kafka-clients 3.4 on the classpath; a module whose classpath has another
 * kafka-clients (Quarkus) uses {@link ChildKafka}.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path logDir;
    private final boolean deleteOnClose;
    private final int port;
    private final int controllerPort;
    /** The running broker; null while {@link #stop() stopped}. */
    private KafkaRaftServer server;

    private EmbeddedKafka(Path logDir, boolean deleteOnClose, int port, int controllerPort) {
        this.logDir = logDir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** A broker on free ports with its data in a temporary directory, deleted by {@link #close()}. */
    public static EmbeddedKafka start() throws Exception {
        return start(Files.createTempDirectory("pulse-kafka-"), true, KafkaBrokerConfig.freePort(), KafkaBrokerConfig.freePort());
    }

    /** A broker whose data stays in {@code logDir} between runs. */
    public static EmbeddedKafka start(Path logDir, int port, int controllerPort) throws Exception {
        return start(logDir, false, port, controllerPort);
    }

    private static EmbeddedKafka start(Path logDir, boolean deleteOnClose, int port, int controllerPort) throws Exception {
        KafkaBrokerConfig.format(logDir);
        EmbeddedKafka kafka = new EmbeddedKafka(logDir, deleteOnClose, port, controllerPort);
        try {
            kafka.startServer();
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    private synchronized void startServer() throws Exception {
        KafkaConfig config = new KafkaConfig(KafkaBrokerConfig.properties(logDir, port, controllerPort), false);
        server = new KafkaRaftServer(config, Time.SYSTEM, scala.Option.empty());
        server.startup();
        KafkaBrokerConfig.awaitReady(bootstrapServers(), Duration.ofSeconds(60), () -> { });
    }

    /** Shuts the broker down (clients see it gone), keeping its data for {@link #restart()}. */
    public synchronized void stop() {
        if (server != null) {
            KafkaRaftServer stopping = server;
            server = null;
            stopping.shutdown();
            stopping.awaitShutdown();
        }
    }

    /** Starts a {@link #stop() stopped} broker again on the same ports with the same data; returns once it serves. */
    public synchronized void restart() throws Exception {
        if (server != null) {
            throw new IllegalStateException("the broker on port " + port + " is running");
        }
        startServer();
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public Admin admin() {
        return KafkaBrokerConfig.admin(bootstrapServers());
    }

    /** Creates the topic unless it exists. */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(name)) {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            if (deleteOnClose) {
                try (Stream<Path> walk = Files.walk(logDir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
