package dev.pulse.testsupport;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The settings of every Kafka 3.4 broker Pulse runs outside Kubernetes (tests, benchmarks, the
 * local stack): KRaft, combined broker and controller, one node, one replica, few threads.
 */
public final class KafkaBrokerConfig {
    /** What does not depend on ports and directories. Topics exist because someone created them (a KafkaTopic, a test), as with Strimzi. */
    private static final String SETTINGS = """
            process.roles=broker,controller
            node.id=1
            listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
            controller.listener.names=CONTROLLER
            inter.broker.listener.name=PLAINTEXT
            num.partitions=1
            default.replication.factor=1
            offsets.topic.replication.factor=1
            offsets.topic.num.partitions=1
            transaction.state.log.replication.factor=1
            transaction.state.log.min.isr=1
            transaction.state.log.num.partitions=1
            group.initial.rebalance.delay.ms=0
            auto.create.topics.enable=false
            num.network.threads=2
            num.io.threads=2
            background.threads=2
            log.cleaner.enable=false
            """;

    private KafkaBrokerConfig() {
    }

    /** The broker's server properties, listening on {@code port} (clients) and {@code controllerPort} (KRaft). */
    public static Properties properties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(SETTINGS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("log.dirs", logDir.toString());
        return p;
    }

    /**
     * "Formats" the storage as {@code kafka-storage format} would, by writing meta.properties, unless
     * an earlier run did (its data is then reused).
     */
    public static void format(Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path meta = logDir.resolve("meta.properties");
        if (!Files.exists(meta)) {
            Files.writeString(meta, "version=1\ncluster.id=" + clusterId() + "\nnode.id=1\n", StandardCharsets.UTF_8);
        }
    }

    /** An admin client with short timeouts, so a broker that is gone fails fast. */
    public static Admin admin(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        return Admin.create(p);
    }

    /** Waits until the broker lists a node; {@code alive} throws when the broker is known to be gone. */
    static void awaitReady(String bootstrapServers, Duration timeout, Runnable alive) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin(bootstrapServers)) {
            while (true) {
                alive.run();
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the Kafka broker did not start within " + timeout, e);
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    /** A Kafka cluster id: 16 random bytes, URL-safe base64 without padding. */
    private static String clusterId() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }
}
