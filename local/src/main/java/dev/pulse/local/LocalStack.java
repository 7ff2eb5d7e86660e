package dev.pulse.local;

import dev.pulse.testsupport.ChildJvm;
import dev.pulse.testsupport.EmbeddedKafka;
import dev.pulse.testsupport.LocalAccessPolicy;
import dev.pulse.testsupport.OwnerGarbageCollector;
import dev.pulse.testsupport.TopicController;
import dev.pulse.testsupport.WorkerThread;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code pulse local [-f dir] [--rate N] [--reset] [--events [stream=]file,...]}: the whole system on one machine, started in
 * order: a Kafka broker, PostgreSQL, the in-memory Kubernetes API, the operator (child JVM), the
 * stand-ins for Strimzi and the Flink operator (pipelines as child JVMs), the serving API when it
 * is built, shop traffic, and the definitions of {@code samples/} (or {@code -f dir}), watched.
 * Then one status line per analysis every 5 s. Ctrl-C stops everything, in reverse.
 *
 * <p>Data lives under {@code .pulse/} ({@link DataDirectory}) and is reused by the next run;
 * {@code --reset} starts from nothing. The Kubernetes API is in memory: each run applies the
 * definitions again.
 */
final class LocalStack {
    static final String NAMESPACE = "default";
    /** Where the operator puts the serving API's read-only database login (its pulse.serving.reader-secret). */
    static final String READER_SECRET = "pulse-serving-reader";

    private final StackOptions options;
    private final DataDirectory data;
    private final Progress progress = new Progress(System.out);
    private final Readiness readiness = new Readiness(progress, this::stopped);
    private final Measurements measurements;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, WorkerThread.daemons("stack-timer"));
    private EmbeddedKafka kafka;
    private Postgres postgres;
    private ApiServer api;
    /** Who may read what through the serving API: the answers of the API server's token and access reviews. */
    private LocalAccessPolicy access;
    private ChildServices services;
    private FlinkController flink;
    private TrafficLauncher traffic;
    private volatile boolean stopped;
    /** Whether this stack wrote stack.json: a second stack refused beside a running one must leave the first's file. */
    private volatile boolean wroteStackFile;

    LocalStack(StackOptions options) {
        this.options = options;
        this.data = new DataDirectory(options.dataDir());
        this.measurements = new Measurements(data, progress);
    }

    /** Starts the stack and prints its status until stopped; 1 when it could not start. */
    int run() {
        try {
            start();
        } catch (Exception e) {
            progress.error("stack", e.getMessage() == null ? e.toString() : e.getMessage());
            stop();
            return 1;
        }
        new StatusBoard(api.client()).watch(progress, traffic::note, this::stopped);
        return 0;
    }

    private boolean stopped() {
        return stopped;
    }

    void start() throws Exception {
        Path root = data.root();
        StackFile.running(root).ifPresent(s -> {
            throw new IllegalStateException("a local stack is already running (pid " + s.get("pid") + ", API " + s.get("apiServer")
                    + "): stop it first");
        });
        if (!Files.isDirectory(options.definitions())) {
            throw new IllegalStateException("no definitions directory " + options.definitions());
        }
        if (options.reset() && Files.exists(root)) {
            progress.step("reset", "deleting " + root);
            data.reset();
            data.routeLibraryLogs();
        }
        Files.createDirectories(data.logs());
        PortFile ports = PortFile.in(root);
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
        kafka = EmbeddedKafka.start(data.resolve("kafka"), ports.port(PortFile.KAFKA), ports.port(PortFile.KAFKA_CONTROLLER));
        started.add(kafka);
        progress.step("kafka", "ready on " + kafka.bootstrapServers());

        progress.step("postgres", "starting PostgreSQL (data in " + data.resolve("postgres") + ")");
        postgres = Postgres.start(data.resolve("postgres"), ports.port(PortFile.POSTGRES));
        started.add(postgres);
        progress.step("postgres", "ready: " + postgres.jdbcUrl() + " (user " + Postgres.USER + ")");

        access = LocalAccessPolicy.generate();
        api = ApiServer.start(ports.port(PortFile.API), home.resolve("crds"), access);
        started.add(api);
        progress.step("k8s", "in-memory API server on " + api.url() + " (Pulse, KafkaTopic and FlinkDeployment CRDs installed)");
        ports.save(kafka.port(), kafka.controllerPort(), postgres.port(), api.port());

        KafkaTopicJournal journal = new KafkaTopicJournal(api.client(), data.resolve("kafkatopics.json"), progress);
        int restored;
        try (var admin = kafka.admin()) {
            restored = journal.restore(admin.listTopics().names().get(30, TimeUnit.SECONDS));
        }
        if (restored > 0) {
            progress.step("strimzi", restored + " KafkaTopics of the last run restored as released: the same streams take them back");
        }
        started.add(journal.start());

        services = new ChildServices(home, data.logs(), postgres.jdbcEnvironment());
        int operatorPort = Ports.free();
        ChildJvm operator = services.startOperator(api.url(), NAMESPACE, kafka.bootstrapServers(), operatorPort);
        progress.step("operator", "starting (pid " + operator.pid() + ", log " + operator.log() + ")");
        CompletableFuture.runAsync(() -> readiness.awaitListening("operator", operator, operatorPort, 120));

        started.add(new OwnerGarbageCollector(api.client(), PulseKinds.PULSE.stream().map(PulseKinds.Kind::context).toList(),
                List.of(PulseKinds.KAFKA_TOPIC.context(), PulseKinds.FLINK_DEPLOYMENT.context()), progress).start());
        started.add(new TopicController(api.client(), kafka.bootstrapServers(), progress).start());
        progress.step("strimzi", "stand-in topic operator watching KafkaTopics");

        try {
            pipelineClasspath.get(6, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new IllegalStateException("pipeline: " + e.getCause().getMessage());
        }
        // the operator creates the serving tables (ServingTables) before it deploys a pipeline; the job
        // logs in as the namespace's writer role (its FlinkDeployment's Secret), which may not create any
        FlinkController.JobSetup jobs = new FlinkController.JobSetup(launcher, data.resolve("pipelines"), data.logs(), List.of());
        if (options.events().isEmpty()) {
            startFlink(jobs);
        }

        String servingUrl = startServing();

        DefinitionsDirectory definitions = new DefinitionsDirectory(api.client(), options.definitions(), NAMESPACE, progress);
        int applied = definitions.applyAll();
        definitions.watch();
        started.add(definitions);
        progress.step("apply", applied + " definitions from " + options.definitions() + " applied to namespace " + NAMESPACE
                + "; watching the directory for changes");
        if (!options.events().isEmpty()) {
            // the jobs start after the events are in their topics, so they read them as history
            EventFiles.load(options.events(), api.client(), readiness, kafka::admin, kafka.bootstrapServers(), progress);
            startFlink(jobs);
        }

        traffic = new TrafficLauncher(api.client(), readiness);
        if (options.rate() > 0) {
            CompletableFuture.runAsync(() -> traffic.start(kafka.bootstrapServers(), kafka::admin, options.rate(), progress));
        }
        timers.scheduleWithFixedDelay(() -> {
            if (!stopped) {
                measurements.probeFirstNumber(postgres);
            }
        }, 1, 1, TimeUnit.SECONDS);

        writeStackFile(operatorPort, servingUrl);
        AccessKey.write(root, access);
        printWhereItRuns(servingUrl);
    }

    private void startFlink(FlinkController.JobSetup jobs) {
        flink = new FlinkController(api.client(), jobs, progress).start();
        started.add(flink);
        progress.step("flink", "stand-in Flink operator watching FlinkDeployments (jobs run as child JVMs)");
    }

    /**
     * The serving API's read-only database login, as the operator writes it into the Secret
     * {@value #READER_SECRET} of its namespace once it has set the role up (at its start).
     */
    private Map<String, String> readerCredentials() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!stopped && System.nanoTime() < deadline) {
            Secret s = api.client().secrets().inNamespace(NAMESPACE).withName(READER_SECRET).get();
            if (s != null && s.getData() != null) {
                Map<String, String> values = new LinkedHashMap<>();
                s.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
                return values;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the operator did not set up the serving API's database role (Secret " + NAMESPACE + "/"
                + READER_SECRET + "); see " + data.logs().resolve("operator.log"));
    }

    /** The serving API as a child JVM when serving/ is built; its URL, or null. */
    private String startServing() throws IOException, InterruptedException {
        if (!Files.isDirectory(options.home().resolve("serving"))) {
            progress.step("serving", "skipped: this checkout has no serving/ module yet");
            return null;
        }
        if (!services.servingBuilt()) {
            progress.step("serving", "skipped: serving/ is not built (" + services.servingJar() + " missing)");
            return null;
        }
        int port = Ports.free();
        ChildJvm serving = services.startServing(api.url(), readerCredentials(), port);
        progress.step("serving", "starting (pid " + serving.pid() + ", log " + serving.log() + ")");
        CompletableFuture.runAsync(() -> readiness.awaitListening("serving", serving, port, 120));
        return "http://localhost:" + port + "/";
    }

    /** {@code stack.json}: where this stack listens, for {@code pulse get/describe} and a second {@code pulse local}. */
    private void writeStackFile(int operatorPort, String servingUrl) throws IOException {
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
        stack.put("startedAt", Instant.now().toString());
        StackFile.write(data.root(), stack);
        wroteStackFile = true;
    }

    private void printWhereItRuns(String servingUrl) {
        progress.line("");
        progress.line(servingUrl != null ? "  Dashboard / serving API:  " + servingUrl
                : "  Serving API: not built in this checkout (no serving/ module) — numbers are in PostgreSQL: "
                        + postgres.jdbcUrl() + " (user postgres), schemas pulse_*");
        if (servingUrl != null) {
            progress.line("  Token (all namespaces):   " + access.tokenForAllNamespaces()
                    + "   (./pulse token -n NS: one namespace only)");
        }
        progress.line("  Kubernetes API:           " + api.url() + "   (./pulse get, ./pulse describe <kind> <name>)");
        progress.line("  Kafka:                    " + kafka.bootstrapServers());
        progress.line("  Logs:                     " + data.logs());
        progress.line("  Edit or delete files in " + options.definitions() + " to change what runs.  Ctrl-C stops everything.");
        progress.line("");
    }

    /** Stops everything this stack started, children first; safe to call twice. */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        progress.step("stop", "stopping");
        if (!started.isEmpty()) {
            // not for a stack refused beside a running one: the PostgreSQL there is the other's
            measurements.reportPeakMemory(processes());
        }
        timers.shutdownNow();
        close("traffic", traffic);
        close("services", services);
        for (int i = started.size() - 1; i >= 0; i--) {
            close(started.get(i).getClass().getSimpleName(), started.get(i));
        }
        if (wroteStackFile) {
            AccessKey.delete(data.root());
            StackFile.delete(data.root());
        }
        progress.step("stop", "stopped (data kept in " + data.root() + ")");
    }

    /** The child JVMs: the operator, the serving API and the pipelines. */
    private List<ChildJvm> processes() {
        List<ChildJvm> children = new ArrayList<>();
        if (services != null) {
            children.addAll(services.processes());
        }
        if (flink != null) {
            children.addAll(flink.processes());
        }
        return children;
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
}
