package dev.pulse.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A Kafka 3.4 broker in this JVM (KRaft, combined broker and controller, one node). Its log
 * directory is kept between runs: storage is "formatted" once by writing meta.properties, as
 * {@code kafka-storage format} would, and reused after that.
 */
final class KafkaBroker implements AutoCloseable {
    private final int port;
    private final int controllerPort;
    private final KafkaRaftServer server;

    private KafkaBroker(int port, int controllerPort, KafkaRaftServer server) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.server = server;
    }

    static KafkaBroker start(Path logDir, int port, int controllerPort) throws Exception {
        Files.createDirectories(logDir);
        Path meta = logDir.resolve("meta.properties");
        if (!Files.exists(meta)) {
            Files.writeString(meta, "version=1\ncluster.id=" + Uuid.randomUuid() + "\nnode.id=1\n", StandardCharsets.UTF_8);
        }
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // topics exist because a KafkaTopic says so, as with Strimzi
        p.put("auto.create.topics.enable", "false");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.cleaner.enable", "false");
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM, scala.Option.empty());
        KafkaBroker broker = new KafkaBroker(port, controllerPort, server);
        try {
            server.startup();
            broker.awaitReady();
        } catch (Exception e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    int port() {
        return port;
    }

    int controllerPort() {
        return controllerPort;
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    Admin admin() {
        return admin(bootstrapServers());
    }

    static Admin admin(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        return Admin.create(p);
    }

    private void awaitReady() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw e;
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
