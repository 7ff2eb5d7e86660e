package dev.pulse.local;

import dev.pulse.testsupport.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator and the serving API as child JVMs with their own classpaths (their Quarkus builds),
 * pointed at this stack's API server, broker and PostgreSQL, as the chart points them at a
 * cluster's.
 */
final class ChildServices implements AutoCloseable {
    /**
     * The operator's pipeline templates, in the checkout: the built-in {@code default} with the
     * annotation that allows state on this machine's disk (the stack sets no durable state storage,
     * and without it every stream with analyses would be refused with EphemeralState).
     */
    static final String TEMPLATES = "local/pipeline-templates";

    /**
     * The operator's JVM, as the chart runs it ({@code operator.jvm} in charts/pulse/values.yaml):
     * 1,000 Metrics need about 75 MB of live heap, so 128 MiB leaves room for the reconcile bursts;
     * the serial collector and C1 keep the rest of the footprint small (docs/benchmarks.md,
     * "Operator at scale").
     */
    static final List<String> OPERATOR_JVM = List.of("-Xmx128m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=40");
    /** Two malloc arenas instead of one per thread and core: the operator's native memory stays flat. */
    static final Map<String, String> OPERATOR_ENV = Map.of("MALLOC_ARENA_MAX", "2");

    private final Path home;
    private final Path logs;
    private final Map<String, String> jdbcEnvironment;
    private final List<ChildJvm> started = new ArrayList<>();

    /** @param jdbcEnvironment the serving database's owner as the {@code PULSE_JDBC_*} variables ({@link Postgres#jdbcEnvironment}): the operator's only */
    ChildServices(Path home, Path logs, Map<String, String> jdbcEnvironment) {
        this.home = home;
        this.logs = logs;
        this.jdbcEnvironment = jdbcEnvironment;
    }

    /** The operator, its HTTP port {@code httpPort}; it reads the serving database for freshness and drift. */
    ChildJvm startOperator(String apiServer, String namespace, String bootstrapServers, int httpPort) throws IOException {
        Path jar = home.resolve("operator/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the operator is not built (" + jar + " is missing): run ./mvnw -q -B -DskipTests install -pl api,operator");
        }
        List<String> jvm = new java.util.ArrayList<>(OPERATOR_JVM);
        jvm.addAll(List.of(
                "-Dquarkus.kubernetes-client.api-server-url=" + apiServer,
                "-Dquarkus.kubernetes-client.trust-certs=true",
                "-Dquarkus.kubernetes-client.namespace=" + namespace,
                "-Dquarkus.kubernetes-client.devservices.enabled=false",
                "-Dquarkus.operator-sdk.crd.apply=false",
                "-Dpulse.kafka.bootstrap-servers=" + bootstrapServers,
                "-Dpulse.watch-namespaces=" + namespace,
                "-Dpulse.templates.directory=" + home.resolve(TEMPLATES),
                "-Dpulse.probes.interval=10s",
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.log.console.color=false"));
        Map<String, String> env = new java.util.HashMap<>(jdbcEnvironment);
        env.putAll(OPERATOR_ENV);
        return start("operator", jvm, jar, env);
    }

    /** Whether serving/ is in this checkout and built. */
    boolean servingBuilt() {
        return Files.exists(servingJar());
    }

    Path servingJar() {
        return home.resolve("serving/target/quarkus-app/quarkus-run.jar");
    }

    /**
     * The serving API (and dashboard) on {@code port}, logged in as the read-only role whose
     * credentials the operator wrote ({@code PULSE_SERVING_JDBC_URL}, {@code PULSE_SERVING_USER},
     * {@code PULSE_SERVING_PASSWORD}); it never gets the owner's.
     */
    ChildJvm startServing(String apiServer, Map<String, String> readerCredentials, int port) throws IOException {
        List<String> jvm = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.kubernetes-client.api-server-url=" + apiServer,
                "-Dquarkus.kubernetes-client.devservices.enabled=false",
                "-Dquarkus.datasource.devservices.enabled=false");
        return start("serving", jvm, servingJar(), readerCredentials);
    }

    private ChildJvm start(String name, List<String> jvm, Path jar) throws IOException {
        return start(name, jvm, jar, jdbcEnvironment);
    }

    private ChildJvm start(String name, List<String> jvm, Path jar, Map<String, String> env) throws IOException {
        ChildJvm process = ChildJvm.start(name, jvm, List.of("-jar", jar.toString()), env, home, logs.resolve(name + ".log"));
        started.add(process);
        return process;
    }

    /** The services' processes (peak memory figures). */
    List<ChildJvm> processes() {
        return List.copyOf(started);
    }

    /** TERM to each service, the last started first; KILL after 15 s. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop(15);
        }
    }
}
