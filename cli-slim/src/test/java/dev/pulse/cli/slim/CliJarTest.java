package dev.pulse.cli.slim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.cli.Pulse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The runnable jar a team's CI uses ({@code java -jar pulse-cli.jar validate -f DIR}): at most 40 MB,
 * without Flink's engine, and validate, compile and plan work from it alone. Runs in the package
 * phase, after the shade plugin, on the jar the build just made (pom.xml).
 */
class CliJarTest {
    private static final Path JAR = Path.of("target/pulse-cli.jar");
    private static final Path SAMPLES = Path.of("../samples");
    private static final long MAX_BYTES = 40L * 1000 * 1000;

    record Run(int exit, String out, String err) {
    }

    private static Run java(String... args) throws IOException, InterruptedException {
        return java(List.of(args), Path.of("."));
    }

    /** java -jar JAR ARGS in a directory. */
    private static Run java(List<String> args, Path directory) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toAbsolutePath().toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(directory.toFile()).start();
        p.getOutputStream().close();
        // compile's output is a few hundred lines: read both streams after exit would risk a full pipe
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        return new Run(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theJarIsAtMostFortyMegabytesAndHoldsNoFlinkEngine() throws IOException {
        assertThat(Files.size(JAR)).isLessThanOrEqualTo(MAX_BYTES);
        try (JarFile zip = new JarFile(JAR.toFile())) {
            List<String> classes = zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).toList();
            assertThat(classes).contains("dev/pulse/cli/Pulse.class", "dev/pulse/render/FlinkDeploymentRenderer.class",
                    "org/apache/flink/kubernetes/operator/api/FlinkDeployment.class");
            assertThat(classes).noneMatch(n -> n.startsWith("org/apache/flink/runtime/") || n.startsWith("org/apache/flink/streaming/")
                    || n.startsWith("org/apache/flink/table/") || n.startsWith("org/apache/flink/connector/")
                    || n.startsWith("dev/pulse/pipeline/") || n.startsWith("dev/pulse/operator/") || n.startsWith("io/quarkus/")
                    || n.startsWith("org/apache/kafka/") || n.startsWith("io/vertx/") || n.startsWith("io/netty/"));
            // of flink-core, only the enum the FlinkDeployment status names
            assertThat(classes.stream().filter(n -> n.startsWith("org/apache/flink/api/")))
                    .allMatch(n -> n.startsWith("org/apache/flink/api/common/JobStatus"));
            assertThat(zip.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(Pulse.class.getName());
        }
    }

    /** images/cli.Dockerfile copies this jar: the one the build makes and these tests run. */
    @Test
    void theImageCopiesThisJar() throws IOException {
        Matcher copy = Pattern.compile("(?m)^COPY (?:--\\S+ )*(\\S+) ").matcher(Files.readString(Path.of("../images/cli.Dockerfile")));
        assertThat(copy.find()).isTrue();
        assertThat(Path.of("..").resolve(copy.group(1)).toRealPath()).isEqualTo(JAR.toRealPath());
    }

    /** docs/ci.md's commands, from the repository root as the doc says: validate prints the samples' count. */
    @Test
    void theCommandsOfTheCiDocWork() throws Exception {
        long definitions;
        try (Stream<Path> files = Files.list(SAMPLES)) {
            definitions = files.filter(f -> f.toString().endsWith(".yaml")).flatMap(CliJarTest::lines)
                    .filter(l -> l.startsWith("apiVersion: pulse.dev/")).count();
        }
        String prefix = "java -jar cli-slim/target/pulse-cli.jar ";
        List<List<String>> commands = new ArrayList<>();
        Matcher block = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("../docs/ci.md")));
        while (block.find()) {
            block.group(1).lines().filter(l -> l.startsWith(prefix)).forEach(l -> commands.add(List.of(l.substring(prefix.length()).split(" +"))));
        }
        assertThat(commands).extracting(c -> c.get(0)).containsExactly("validate", "compile", "plan");
        for (List<String> command : commands) {
            Run run = java(command, Path.of(".."));
            assertThat(run.exit()).as("%s: %s", command, run.err()).isZero();
            if (command.get(0).equals("validate")) {
                assertThat(run.out().strip()).isEqualTo(definitions + " definitions valid");
            }
        }
    }

    @Test
    void reportsTheLineAndColumnOfAProblem(@TempDir Path dir) throws Exception {
        List<String> metric = List.of(
                "apiVersion: pulse.dev/v1alpha1",
                "kind: Metric",
                "metadata: {name: orders}",
                "spec:",
                "  aggregation: {type: count}",
                "  window: {type: tumbling, size: 1m}");
        Path file = dir.resolve("orders.yaml");
        Files.write(file, metric);
        Run run = java("validate", "-f", dir.toString());
        assertThat(run.exit()).isEqualTo(1);
        // the missing stream is reported at its own path, positioned at the spec that lacks it
        int line = metric.indexOf("spec:") + 1;
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith(file + ":" + line + ":1: Metric/orders: spec.stream: ");
    }

    @Test
    void compilesAsTheCliModuleDoes() throws Exception {
        Run jar = java("compile", "-f", SAMPLES.toString());
        assertThat(jar.exit()).as(jar.err()).isZero();
        // the same command on this test's classpath (cli/ and its dependencies, built by Maven)
        StringWriter out = new StringWriter();
        CommandLine cmd = Pulse.commandLine();
        cmd.setOut(new PrintWriter(out));
        assertThat(cmd.execute("compile", "-f", SAMPLES.toString())).isZero();
        assertThat(jar.out()).isEqualTo(out.toString()).contains("kind: \"FlinkDeployment\"", "kind: \"KafkaTopic\"");
    }

    @Test
    void plansAgainstOtherDefinitionsAndLeavesReplayToTheFullBuild(@TempDir Path before) throws Exception {
        // applied now: every sample but one Metric, which the plan then shows as New
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                if (!f.getFileName().toString().equals("03-metric-revenue-by-country.yaml")) {
                    Files.copy(f, before.resolve(f.getFileName()));
                }
            }
        }
        Run plan = java("plan", "-f", SAMPLES.toString(), "--against", before.toString());
        assertThat(plan.exit()).as(plan.err()).isZero();
        assertThat(plan.out().lines().filter(l -> l.startsWith("default ")))
                .anyMatch(l -> l.matches("default +Metric/revenue-by-country +New .*"))
                .anyMatch(l -> l.matches("default +Metric/orders-per-minute +Unchanged .*"));

        Run replay = java("replay", "-f", SAMPLES.toString(), "--events", "none.jsonl");
        assertThat(replay.exit()).isEqualTo(3);
        assertThat(replay.err()).contains("pulse replay: runs Flink, which this jar leaves out: start it with ./pulse replay");
    }

    /** A class the build left out is an internal error (exit 3), not an invalid definition (exit 1). */
    @Test
    void aClassMissingFromTheJarIsAnInternalError(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("pulse-cli.jar");
        String missing = "dev/pulse/render/TopicRenderer.class";
        try (JarFile in = new JarFile(JAR.toFile()); JarOutputStream out = new JarOutputStream(Files.newOutputStream(broken))) {
            for (JarEntry entry : java.util.Collections.list(in.entries())) {
                if (!entry.getName().equals(missing)) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.getInputStream(entry).transferTo(out);
                    out.closeEntry();
                }
            }
        }
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", broken.toString(),
                "compile", "-f", SAMPLES.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isEqualTo(3);
        assertThat(err).contains("pulse: internal error: java.lang.NoClassDefFoundError: dev/pulse/render/TopicRenderer");
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
