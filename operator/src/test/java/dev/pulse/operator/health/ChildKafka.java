package dev.pulse.operator.health;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A Kafka 3.4 broker (KRaft, combined broker and controller) in a child JVM. The operator's test
 * classpath holds the Quarkus BOM's kafka-clients 4.0, which the 3.4 broker classes do not run
 * with; the child runs on the pipeline module's test classpath instead (resolved once with
 * {@code mvnw dependency:build-classpath}, cached in target/). Storage is "formatted" by writing
 * meta.properties, as {@code kafka-storage format} would.
 */
public final class ChildKafka implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;

    private ChildKafka(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static ChildKafka start() throws Exception {
        String classpath = brokerClasspath();
        Path dir = Files.createTempDirectory("pulse-operator-kafka-");
        Path logs = Files.createDirectories(dir.resolve("data"));
        int port = freePort();
        int controller = freePort();
        Files.writeString(logs.resolve("meta.properties"), "version=1\ncluster.id=" + shortUuid() + "\nnode.id=1\n", StandardCharsets.UTF_8);
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controller);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controller);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logs.toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("log.cleaner.enable", "false");
        Path config = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, "pulse operator test broker");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-cp", classpath, "kafka.Kafka", config.toString()));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("broker.log").toFile()).start();
        ChildKafka kafka = new ChildKafka(process, dir, port);
        try {
            kafka.awaitReady(Duration.ofSeconds(60));
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the test broker exited: " + tail());
            }
            try (Admin a = admin()) {
                a.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                Thread.sleep(300);
            }
        }
        throw new IllegalStateException("the test broker did not start within " + timeout + ": " + tail(), last);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("broker.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory
        }
    }

    /** The pipeline module's test classpath (kafka_2.13 3.4.0 and its dependencies), resolved once per checkout. */
    static synchronized String brokerClasspath() throws IOException, InterruptedException {
        Path module = Path.of("").toAbsolutePath();
        Path root = module.getParent();
        Path cached = module.resolve("target/kafka-broker.classpath");
        if (Files.exists(cached) && Files.getLastModifiedTime(cached).compareTo(Files.getLastModifiedTime(root.resolve("pipeline/pom.xml"))) > 0) {
            return Files.readString(cached).trim();
        }
        for (boolean offline : new boolean[] {true, false}) {
            List<String> cmd = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-q", "-f", root.resolve("pipeline/pom.xml").toString(),
                    "dependency:build-classpath", "-Dmdep.includeScope=test", "-Dmdep.outputFile=" + cached));
            if (offline) {
                cmd.add(1, "-o");
            }
            Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(module.resolve("target/kafka-broker.classpath.log").toFile()).start();
            if (p.waitFor(180, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.exists(cached)) {
                return Files.readString(cached).trim();
            }
            p.destroyForcibly();
        }
        throw new IllegalStateException("cannot resolve the broker's classpath from pipeline/pom.xml; see target/kafka-broker.classpath.log");
    }

    private static String shortUuid() {
        // a Kafka cluster id: 16 bytes, URL-safe base64 without padding
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
