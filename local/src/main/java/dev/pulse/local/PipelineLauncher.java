package dev.pulse.local;

import dev.pulse.testsupport.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts the pipeline job ({@code dev.pulse.pipeline.PipelineJob}) as a child JVM with the
 * pipeline module's own classpath: its jar plus {@code pipeline/target/lib} when the module copies
 * its dependencies there, else a classpath file resolved once with Maven and cached under
 * {@code .pulse/cache} (rebuilt when a pom changes).
 *
 * <p>The job logs (its own lines and Flink's: restarts, failed checkpoints, a task's exception)
 * through Log4j 2 to its standard output, which the stack keeps in {@code logs/pipeline-<ns>-<name>.log}:
 * {@code dev.pulse} and Flink at {@code INFO} (or {@code PULSE_PIPELINE_LOG_LEVEL}), Kafka's clients
 * and the rest at {@code WARN}, like the Flink image's console logging in a cluster.
 */
final class PipelineLauncher implements FlinkController.JobLauncher {
    static final String MAIN = "dev.pulse.pipeline.PipelineJob";
    /** Environment variable: the level of the pipelines' own and Flink's log lines (default INFO). */
    static final String LOG_LEVEL = "PULSE_PIPELINE_LOG_LEVEL";
    /** Flink's JDK 17 opens (flink-dist conf), as in pipeline/pom.xml. */
    static final List<String> FLINK_OPENS = List.of(
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED", "--add-opens=java.base/java.math=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.security=ALL-UNNAMED",
            "--add-opens=java.sql/java.sql=ALL-UNNAMED", "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.management/sun.management=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED");

    private final Path home;
    private final Path cacheDir;
    private final String heap;
    private volatile String classpath;

    PipelineLauncher(Path home, Path cacheDir, String heap) {
        this.home = home;
        this.cacheDir = cacheDir;
        this.heap = heap;
    }

    /** Resolves the classpath now (it may run Maven once); later calls are free. */
    synchronized String classpath() throws IOException, InterruptedException {
        if (classpath == null) {
            Path pipeline = home.resolve("pipeline");
            Path jar = pipelineJar(pipeline.resolve("target"));
            Path lib = pipeline.resolve("target/lib");
            String deps;
            if (Files.isDirectory(lib)) {
                deps = lib.toAbsolutePath() + "/*";
            } else {
                deps = Files.readString(cachedClasspath(pipeline)).trim();
            }
            classpath = jar + java.io.File.pathSeparator + deps;
        }
        return classpath;
    }

    static Path pipelineJar(Path target) throws IOException {
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                var jar = s.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith("pulse-pipeline") && n.endsWith(".jar") && !n.endsWith("-job.jar")
                            && !n.endsWith("-sources.jar") && !n.endsWith("-tests.jar");
                }).findFirst();
                if (jar.isPresent()) {
                    return jar.get().toAbsolutePath();
                }
            }
        }
        throw new IOException("the pipeline is not built (no pulse-pipeline jar in " + target
                + "): run ./mvnw -q -B -DskipTests install -pl api,pipeline");
    }

    private Path cachedClasspath(Path pipeline) throws IOException, InterruptedException {
        Files.createDirectories(cacheDir);
        Path file = cacheDir.resolve("pipeline.classpath").toAbsolutePath();
        Path pom = pipeline.resolve("pom.xml");
        Path parentPom = home.resolve("pom.xml");
        if (Files.exists(file) && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(pom)) > 0
                && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(parentPom)) > 0) {
            return file;
        }
        Path log = cacheDir.resolve("pipeline-classpath.log");
        List<String> mvn = new ArrayList<>(List.of(home.resolve("mvnw").toString(), "-q", "-B", "-f", pom.toString(),
                "dependency:build-classpath", "-DincludeScope=runtime", "-Dmdep.outputFile=" + file));
        List<String> offline = new ArrayList<>(mvn);
        offline.add(1, "-o");
        for (List<String> command : List.of(offline, mvn)) {
            Process p = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            } else if (p.exitValue() == 0 && Files.exists(file)) {
                return file;
            }
        }
        throw new IOException("could not resolve the pipeline's classpath with Maven (see " + log + ")");
    }

    @Override
    public ChildJvm start(String name, List<String> args, Map<String, String> env, Path workDir, Path log) throws IOException, InterruptedException {
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlog4j.configurationFile=" + logConfiguration(System.getenv().getOrDefault(LOG_LEVEL, "INFO"))));
        jvm.addAll(FLINK_OPENS);
        List<String> launch = new ArrayList<>(List.of("-cp", classpath(), MAIN));
        launch.addAll(args);
        return ChildJvm.start(name, jvm, launch, env, workDir, log);
    }

    /** The Log4j 2 configuration of the pipeline JVMs, written to the cache directory. */
    Path logConfiguration(String level) throws IOException {
        Files.createDirectories(cacheDir);
        Path file = cacheDir.resolve("pipeline-log4j2.properties").toAbsolutePath();
        Files.writeString(file, String.join("\n",
                "rootLogger.level = WARN",
                "rootLogger.appenderRef.console.ref = Console",
                "appender.console.name = Console",
                "appender.console.type = CONSOLE",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-50c{1.} %m%n",
                "logger.pulse.name = dev.pulse",
                "logger.pulse.level = " + level,
                "logger.flink.name = org.apache.flink",
                "logger.flink.level = " + level,
                // one line per record of a failing connection is noise; Flink reports the failure itself
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = WARN",
                ""));
        return file;
    }
}
