package dev.pulse.local;

import dev.pulse.testsupport.ChildJvm;
import dev.pulse.testsupport.EmbeddedKafka;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code pulse local [-f dir] [--rate N] [--reset]}: the whole system on one machine (ARCHITECTURE
 * §5). In order: a Kafka broker, PostgreSQL, the in-memory Kubernetes API, the operator (child JVM),
 * the stand-ins for Strimzi and the Flink operator (pipelines as child JVMs), the serving API when
 * it is built, shop traffic, and the definitions of {@code samples/} (or {@code -f dir}), watched.
 * Then one status line per analysis every 5 s. Ctrl-C stops everything.
 *
 * <p>Data lives under {@code .pulse/} (broker log, PostgreSQL cluster, pipeline plans, logs) and
 * is reused by the next run; {@code --reset} starts from nothing. The Kubernetes API is in memory:
 * each run applies the definitions again.
 */
public final class LocalStack {
    static final String NAMESPACE = "default";
    static final String SERVING_SECRET = "pulse-serving-db";

    private final Options options;
    private final Progress progress = new Progress(System.out);
    private final List<AutoCloseable> started = new ArrayList<>();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> TopicController.daemon(r, "stack-timer"));
    private EmbeddedKafka kafka;
    private Postgres postgres;
    private ApiServer api;
    private ChildJvm operator;
    private ChildJvm serving;
    private FlinkController flink;
    private volatile ShopTraffic traffic;
    private volatile String firstNumber;
    private volatile boolean stopped;
    private final long startedAtMillis = System.currentTimeMillis();

    /** The command line. */
    record Options(Path home, Path dataDir, Path definitions, double rate, boolean reset) {
        static Options parse(String[] args, Path home) {
            Path data = home.resolve(".pulse");
            Path defs = home.resolve("samples");
            double rate = 20;
            boolean reset = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "-f", "--filename" -> defs = Path.of(value(args, ++i, "-f"));
                    case "--rate" -> rate = Double.parseDouble(value(args, ++i, "--rate"));
                    case "--reset" -> reset = true;
                    case "--data-dir" -> data = Path.of(value(args, ++i, "--data-dir"));
                    case "-h", "--help" -> throw new UsageException(null);
                    default -> throw new UsageException("unknown argument '" + args[i] + "'");
                }
            }
            if (rate < 0) {
                throw new UsageException("--rate must be 0 or more events per second");
            }
            return new Options(home, data.toAbsolutePath(), defs.toAbsolutePath(), rate, reset);
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new UsageException(name + " needs a value");
            }
            return args[i];
        }
    }

    /** A command-line mistake: message and usage, exit 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static final String USAGE = """
            usage: pulse local [-f DIR] [--rate N] [--reset] [--data-dir DIR]
              -f DIR        definitions to apply and watch (default: samples/)
              --rate N      synthetic shop events per second, daily average (default 20; 0: none)
              --reset       delete the data of earlier runs (.pulse/) first
              --data-dir    where data and logs live (default: .pulse/)
            """;

    LocalStack(Options options) {
        this.options = options;
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("pulse.home", ".")).toAbsolutePath().normalize();
        Options options;
        try {
            options = Options.parse(args, home);
        } catch (UsageException | NumberFormatException e) {
            if (e.getMessage() != null) {
                System.err.println("pulse local: " + e.getMessage());
            }
            System.err.print(USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        quietLogs(options.dataDir());
        LocalStack stack = new LocalStack(options);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "pulse-local-shutdown"));
        try {
            stack.start();
        } catch (Exception e) {
            stack.progress.error("stack", e.getMessage() == null ? e.toString() : e.getMessage());
            stack.stop();
            System.exit(1);
        }
        stack.watchStatus();
    }

    /** Library logs (broker, API server, clients) go to .pulse/logs/stack.log, warnings and up. */
    private static void quietLogs(Path dataDir) {
        try {
            Files.createDirectories(dataDir.resolve("logs"));
        } catch (IOException ignored) {
            // then slf4j-simple falls back to stderr
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", dataDir.resolve("logs/stack.log").toString());
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }

    void start() throws Exception {
        Path data = options.dataDir();
        StackFile.running(data).ifPresent(s -> {
            throw new IllegalStateException("a local stack is already running (pid " + s.get("pid") + ", API " + s.get("apiServer")
                    + "): stop it first");
        });
        if (!Files.isDirectory(options.definitions())) {
            throw new IllegalStateException("no definitions directory " + options.definitions());
        }
        if (options.reset() && Files.exists(data)) {
            progress.step("reset", "deleting " + data);
            deleteTree(data);
            quietLogs(data);
        }
        Files.createDirectories(data.resolve("logs"));
        Properties ports = loadPorts(data);
        Path home = options.home();
        PipelineLauncher launcher = new PipelineLauncher(home, data.resolve("cache"), "768m");
        CompletableFuture<String> pipelineClasspath = CompletableFuture.supplyAsync(() -> {
            try {
                return launcher.classpath();
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });

        progress.step("kafka", "starting the broker (KRaft, data in " + data.resolve("kafka") + ")");
        kafka = EmbeddedKafka.start(data.resolve("kafka"), Ports.freeOr(port(ports, "kafka")), Ports.freeOr(port(ports, "kafka.controller")));
        started.add(kafka);
        progress.step("kafka", "ready on " + kafka.bootstrapServers());

        progress.step("postgres", "starting PostgreSQL (data in " + data.resolve("postgres") + ")");
        postgres = Postgres.start(data.resolve("postgres"), Ports.freeOr(port(ports, "postgres")));
        started.add(postgres);
        progress.step("postgres", "ready: " + postgres.jdbcUrl() + " (user " + Postgres.USER + ")");

        api = ApiServer.start(Ports.freeOr(port(ports, "api")), home.resolve("crds"));
        started.add(api);
        progress.step("k8s", "in-memory API server on " + api.url() + " (Pulse, KafkaTopic and FlinkDeployment CRDs installed)");
        savePorts(data, kafka, postgres, api);
        api.client().resource(servingSecret()).create();

        int operatorPort = Ports.free();
        operator = startOperator(operatorPort);
        progress.step("operator", "starting (pid " + operator.pid() + ", log " + operator.log() + ")");
        CompletableFuture.runAsync(() -> awaitPort("operator", operator, operatorPort, 120));

        started.add(new OwnerGarbageCollector(api.client(), progress).start());
        started.add(new TopicController(api.client(), kafka.bootstrapServers(), progress).start());
        progress.step("strimzi", "stand-in topic operator watching KafkaTopics");

        try {
            pipelineClasspath.get(6, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("pipeline: " + e.getCause().getMessage());
        }
        flink = new FlinkController(api.client(), launcher, data.resolve("pipelines"), data.resolve("logs"), List.of("--create-tables"),
                progress).start();
        started.add(flink);
        progress.step("flink", "stand-in Flink operator watching FlinkDeployments (jobs run as child JVMs)");

        String servingUrl = startServing();

        DefinitionsDirectory definitions = new DefinitionsDirectory(api.client(), options.definitions(), NAMESPACE, progress);
        int applied = definitions.applyAll();
        definitions.watch();
        started.add(definitions);
        progress.step("apply", applied + " definitions from " + options.definitions() + " applied to namespace " + NAMESPACE
                + "; watching the directory for changes");

        if (options.rate() > 0) {
            CompletableFuture.runAsync(this::startTraffic);
        }
        timers.scheduleWithFixedDelay(this::probeFirstNumber, 1, 1, TimeUnit.SECONDS);

        Map<String, Object> stack = new LinkedHashMap<>();
        stack.put("pid", ProcessHandle.current().pid());
        stack.put("apiServer", api.url());
        stack.put("namespace", NAMESPACE);
        stack.put("kafkaBootstrapServers", kafka.bootstrapServers());
        stack.put("postgresJdbcUrl", postgres.jdbcUrl());
        stack.put("postgresUser", Postgres.USER);
        stack.put("operatorHttpPort", operatorPort);
        stack.put("servingUrl", servingUrl);
        stack.put("definitions", options.definitions().toString());
        stack.put("startedAt", java.time.Instant.now().toString());
        StackFile.write(data, stack);
        progress.line("");
        progress.line(servingUrl != null ? "  Dashboard / serving API:  " + servingUrl
                : "  Serving API: not built in this checkout (no serving/ module) — numbers are in PostgreSQL: "
                        + postgres.jdbcUrl() + " (user postgres), schemas pulse_*");
        progress.line("  Kubernetes API:           " + api.url() + "   (./pulse get, ./pulse describe <kind> <name>)");
        progress.line("  Kafka:                    " + kafka.bootstrapServers());
        progress.line("  Logs:                     " + data.resolve("logs"));
        progress.line("  Edit or delete files in " + options.definitions() + " to change what runs.  Ctrl-C stops everything.");
        progress.line("");
    }

    /** The serving database Secret the operator's FlinkDeployments take their JDBC settings from. */
    private io.fabric8.kubernetes.api.model.Secret servingSecret() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("PULSE_JDBC_URL", b64(postgres.jdbcUrl()));
        data.put("PULSE_JDBC_USER", b64(Postgres.USER));
        data.put("PULSE_JDBC_PASSWORD", b64(""));
        return new SecretBuilder().withNewMetadata().withName(SERVING_SECRET).withNamespace(NAMESPACE).endMetadata()
                .withData(data).build();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private ChildJvm startOperator(int httpPort) throws IOException {
        Path jar = options.home().resolve("operator/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the operator is not built (" + jar + " is missing): run ./mvnw -q -B -DskipTests install -pl api,operator");
        }
        List<String> jvm = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.kubernetes-client.api-server-url=" + api.url(),
                "-Dquarkus.kubernetes-client.trust-certs=true",
                "-Dquarkus.kubernetes-client.namespace=" + NAMESPACE,
                "-Dquarkus.kubernetes-client.devservices.enabled=false",
                "-Dquarkus.operator-sdk.crd.apply=false",
                "-Dpulse.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "-Dpulse.watch-namespaces=" + NAMESPACE,
                "-Dpulse.probes.interval=10s",
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.log.console.color=false");
        // the operator reads the serving database for freshness and drift (pulse.jdbc.*), as the chart's Secret gives it
        Map<String, String> env = Map.of("PULSE_JDBC_URL", postgres.jdbcUrl(), "PULSE_JDBC_USER", Postgres.USER);
        return ChildJvm.start("operator", jvm, List.of("-jar", jar.toString()), env, options.home(),
                options.dataDir().resolve("logs/operator.log"));
    }

    /** The serving API as a child JVM when serving/ is built; its URL, or null. */
    private String startServing() throws IOException {
        Path jar = options.home().resolve("serving/target/quarkus-app/quarkus-run.jar");
        if (!Files.isDirectory(options.home().resolve("serving"))) {
            progress.step("serving", "skipped: this checkout has no serving/ module yet");
            return null;
        }
        if (!Files.exists(jar)) {
            progress.step("serving", "skipped: serving/ is not built (" + jar + " missing)");
            return null;
        }
        int port = Ports.free();
        List<String> jvm = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl(),
                "-Dquarkus.datasource.username=" + Postgres.USER, "-Dquarkus.datasource.password=",
                "-Dquarkus.kubernetes-client.api-server-url=" + api.url(),
                "-Dquarkus.kubernetes-client.devservices.enabled=false",
                "-Dquarkus.datasource.devservices.enabled=false");
        Map<String, String> env = Map.of("PULSE_JDBC_URL", postgres.jdbcUrl(), "PULSE_JDBC_USER", Postgres.USER, "PULSE_JDBC_PASSWORD", "");
        serving = ChildJvm.start("serving", jvm, List.of("-jar", jar.toString()), env, options.home(),
                options.dataDir().resolve("logs/serving.log"));
        progress.step("serving", "starting (pid " + serving.pid() + ", log " + serving.log() + ")");
        CompletableFuture.runAsync(() -> awaitPort("serving", serving, port, 120));
        return "http://localhost:" + port + "/";
    }

    private void awaitPort(String part, ChildJvm process, int port, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline && !stopped) {
            if (!process.isAlive()) {
                progress.error(part, "exited with code " + process.exitValue() + " — see " + process.log());
                return;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                progress.step(part, "ready (http://localhost:" + port + ")");
                return;
            } catch (IOException e) {
                sleep(500);
            }
        }
        if (!stopped) {
            progress.error(part, "not listening on port " + port + " after " + seconds + " s — see " + process.log());
        }
    }

    /** Waits for the first EventStream's topic to exist, then sends shop traffic into it. */
    private void startTraffic() {
        try (Admin admin = kafka.admin()) {
            String topic = null;
            long deadline = System.currentTimeMillis() + 300_000;
            while (!stopped && System.currentTimeMillis() < deadline) {
                if (topic == null) {
                    topic = trafficTopic();
                }
                if (topic != null && admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
                    break;
                }
                sleep(500);
            }
            if (stopped || topic == null) {
                if (!stopped) {
                    progress.step("traffic", "no EventStream topic appeared: no traffic sent");
                }
                return;
            }
            traffic = ShopTraffic.toKafka(kafka.bootstrapServers(), topic, options.rate()).start();
            progress.step("traffic", "shop sessions into topic " + topic + " at ~" + options.rate()
                    + " events/s (daily rhythm; ~1% late, ~0.5% malformed)");
        } catch (Exception e) {
            progress.error("traffic", e.getMessage());
        }
    }

    /** The topic of the stream named shop-events, else of the first EventStream. */
    private String trafficTopic() {
        List<GenericKubernetesResource> streams = api.client().genericKubernetesResources(PulseKinds.EVENT_STREAM.context())
                .inNamespace(NAMESPACE).list().getItems();
        return streams.stream().sorted(Comparator.comparing((GenericKubernetesResource s) -> !"shop-events".equals(s.getMetadata().getName()))
                .thenComparing(s -> s.getMetadata().getName()))
                .map(s -> PulseKinds.path(s.getAdditionalProperties().get("spec"), "kafka", "topic"))
                .filter(t -> t instanceof String).map(String.class::cast).findFirst().orElse(null);
    }

    /** Time to the first number: the first row in any serving table, measured once. */
    private void probeFirstNumber() {
        if (firstNumber != null || stopped) {
            return;
        }
        try (Connection c = postgres.connect(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            // the serving tables (pulse_<ns>.*), not the catalog (pulse_catalog.analyses has no updated_at)
            try (ResultSet rs = st.executeQuery("select c.table_schema || '.' || c.table_name from information_schema.columns c "
                    + "join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name "
                    + "where c.table_schema like 'pulse%' and c.column_name = 'updated_at' and t.table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                String[] parts = t.split("\\.", 2);
                // rows written by this run (PostgreSQL's data is kept between runs)
                String sql = "select exists (select 1 from \"" + parts[0] + "\".\"" + parts[1] + "\" where updated_at >= to_timestamp("
                        + startedAtMillis / 1000.0 + "))";
                try (ResultSet rs = st.executeQuery(sql)) {
                    if (rs.next() && rs.getBoolean(1)) {
                        firstNumber = t;
                        progress.step("first", String.format("first metric row in PostgreSQL after %.1f s (%s)", progress.seconds(), t));
                        writeMeasurement("first_metric_row_seconds", String.format("%.1f", progress.seconds()));
                        return;
                    }
                }
            }
        } catch (Exception e) {
            // PostgreSQL not ready or tables being created: try again next second
        }
    }

    private void writeMeasurement(String key, String value) {
        try {
            Files.writeString(options.dataDir().resolve("logs/measurements.txt"),
                    java.time.Instant.now() + " " + key + "=" + value + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // a measurement is not worth failing for
        }
    }

    /** Every 5 s until stopped: one status line per analysis. */
    void watchStatus() {
        StatusBoard board = new StatusBoard(api.client(), NAMESPACE);
        while (!stopped) {
            sleep(5000);
            if (stopped) {
                return;
            }
            try {
                ShopTraffic t = traffic;
                String note = t == null ? null : t.sentTotal() + " events sent";
                for (String l : board.lines(note)) {
                    progress.line(l);
                }
            } catch (RuntimeException e) {
                if (!stopped) {
                    progress.error("status", e.getMessage());
                }
            }
        }
    }

    /** Stops everything this stack started, children first; safe to call twice. */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        progress.step("stop", "stopping");
        reportPeakMemory();
        timers.shutdownNow();
        close("traffic", traffic);
        close("serving", serving == null ? null : () -> serving.stop(15));
        close("operator", operator == null ? null : () -> operator.stop(15));
        for (int i = started.size() - 1; i >= 0; i--) {
            close(started.get(i).getClass().getSimpleName(), started.get(i));
        }
        StackFile.delete(options.dataDir());
        progress.step("stop", "stopped (data kept in " + options.dataDir() + ")");
    }

    private void reportPeakMemory() {
        List<String> parts = new ArrayList<>();
        long total = 0;
        long self = ChildJvm.peakRssMb(ProcessHandle.current().pid());
        if (self > 0) {
            parts.add("stack " + self + " MB");
            total += self;
        }
        long pg = postgresPeakRssMb();
        if (pg > 0) {
            parts.add("postgres " + pg + " MB");
            total += pg;
        }
        List<ChildJvm> children = new ArrayList<>();
        if (operator != null) {
            children.add(operator);
        }
        if (serving != null) {
            children.add(serving);
        }
        if (flink != null) {
            children.addAll(flink.processes());
        }
        for (ChildJvm c : children) {
            long mb = c.peakRssMb();
            if (mb > 0) {
                parts.add(c.name() + " " + mb + " MB");
                total += mb;
            }
        }
        if (!parts.isEmpty()) {
            progress.step("memory", "peak RSS per process: " + String.join(", ", parts) + " (sum " + total + " MB)");
            writeMeasurement("peak_rss_mb", total + " (" + String.join(", ", parts) + ")");
        }
    }

    /** The postmaster and its backends (their shared memory counted once per process: an upper bound). */
    private long postgresPeakRssMb() {
        try {
            String pid = Files.readAllLines(options.dataDir().resolve("postgres/postmaster.pid")).get(0).trim();
            var postmaster = ProcessHandle.of(Long.parseLong(pid));
            if (postmaster.isEmpty()) {
                return -1;
            }
            long sum = ChildJvm.peakRssMb(postmaster.get().pid());
            for (ProcessHandle h : postmaster.get().descendants().toList()) {
                sum += Math.max(0, ChildJvm.peakRssMb(h.pid()));
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void close(String what, AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            progress.error("stop", what + ": " + e.getMessage());
        }
    }

    private static Properties loadPorts(Path data) {
        Properties p = new Properties();
        try (var in = Files.newInputStream(data.resolve("ports.properties"))) {
            p.load(in);
        } catch (IOException e) {
            // first run
        }
        return p;
    }

    private static int port(Properties p, String key) {
        try {
            return Integer.parseInt(p.getProperty(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void savePorts(Path data, EmbeddedKafka kafka, Postgres pg, ApiServer api) {
        Properties p = new Properties();
        p.setProperty("kafka", Integer.toString(kafka.port()));
        p.setProperty("postgres", Integer.toString(pg.port()));
        p.setProperty("api", Integer.toString(api.port()));
        p.setProperty("kafka.controller", Integer.toString(kafka.controllerPort()));
        try (var out = Files.newOutputStream(data.resolve("ports.properties"))) {
            p.store(out, "ports of the last run, reused when free (the broker's metadata remembers them)");
        } catch (IOException ignored) {
            // only a preference
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
