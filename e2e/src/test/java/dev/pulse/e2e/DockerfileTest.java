package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfiles of images/, read as Docker reads them (no engine runs here): each base image
 * pinned, a non-root user, an exec-form entrypoint, and only files the build its header names
 * produces copied in. That the CLI image's jar exists after that build is CliJarTest's (cli-slim/).
 */
class DockerfileTest {
    private static final Pattern BUILD = Pattern.compile("\\./mvnw [^\\n]*-pl (\\S+)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

    /** One instruction: its keyword and its arguments, continuation lines joined. */
    record Instruction(String keyword, String arguments) {
    }

    /** A Dockerfile's instructions (comments and blank lines dropped, continuations joined). */
    static List<Instruction> parse(String text) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String[] parts = pending.toString().split("\\s+", 2);
            out.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : ""));
            pending.setLength(0);
        }
        assertThat(pending).as("a continuation line ends the file").isEmpty();
        return out;
    }

    static List<Path> dockerfiles() throws IOException {
        try (Stream<Path> files = Files.list(Repo.root().resolve("images"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".Dockerfile")).sorted().toList();
        }
    }

    @Test
    void everyImageIsPinnedRunsAsAUserAndCopiesWhatItsBuildMakes() throws IOException {
        List<Path> files = dockerfiles();
        assertThat(files).extracting(f -> f.getFileName().toString())
                .contains("cli.Dockerfile", "operator.Dockerfile", "pipeline.Dockerfile", "serving.Dockerfile");
        String modules = Repo.read(Repo.root().resolve("pom.xml"));
        String readme = Repo.read(Repo.root().resolve("images/README.md"));
        for (Path file : files) {
            String name = file.getFileName().toString();
            String text = Repo.read(file);
            List<Instruction> instructions = parse(text);

            Matcher build = BUILD.matcher(text);
            assertThat(build.find()).as("%s names the build that makes what it copies", name).isTrue();
            String module = build.group(1);
            assertThat(modules).as(name).contains("<module>" + module + "</module>");
            assertThat(readme).as("images/README.md lists %s", name).contains("`" + name + "`");

            List<Instruction> froms = instructions.stream().filter(i -> i.keyword().equals("FROM")).toList();
            assertThat(froms).as(name).isNotEmpty();
            for (Instruction from : froms) {
                assertThat(pinned(from.arguments().split("\\s+")[0])).as("%s: FROM %s names a fixed version", name, from.arguments()).isTrue();
            }

            List<Instruction> users = instructions.stream().filter(i -> i.keyword().equals("USER")).toList();
            assertThat(users).as("%s sets its user", name).isNotEmpty();
            String user = users.get(users.size() - 1).arguments().split(":")[0];
            assertThat(user).as("%s runs as a non-root user", name).isNotIn("root", "0");

            Map<String, String> args = new HashMap<>();
            for (Instruction i : instructions) {
                if (i.keyword().equals("ARG") && i.arguments().contains("=")) {
                    String[] kv = i.arguments().split("=", 2);
                    args.put(kv[0], kv[1]);
                }
            }
            List<Instruction> copies = instructions.stream().filter(i -> i.keyword().equals("COPY") || i.keyword().equals("ADD")).toList();
            assertThat(copies).as(name).isNotEmpty();
            for (Instruction copy : copies) {
                List<String> words = Stream.of(copy.arguments().split("\\s+")).filter(w -> !w.startsWith("--")).toList();
                assertThat(copy.keyword()).as("%s: COPY, not ADD (no URLs or archives unpacked)", name).isEqualTo("COPY");
                for (String source : words.subList(0, words.size() - 1)) {
                    String resolved = VARIABLE.matcher(source).replaceAll(m -> args.getOrDefault(m.group(1), m.group()));
                    assertThat(resolved).as("%s copies %s: an output of the build of %s", name, source, module).startsWith(module + "/target/");
                }
            }

            instructions.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).forEach(entrypoint ->
                    assertThat(entrypoint.arguments()).as("%s: ENTRYPOINT in exec form, so signals reach the JVM", name).startsWith("["));
        }
    }

    /** The CLI image runs its jar with java -jar, the jar it copies in. */
    @Test
    void theCliImageRunsTheJarItCopies() throws IOException {
        List<Instruction> instructions = parse(Repo.read(Repo.root().resolve("images/cli.Dockerfile")));
        Instruction copy = instructions.stream().filter(i -> i.keyword().equals("COPY")).findFirst().orElseThrow();
        String[] words = copy.arguments().split("\\s+");
        assertThat(words[words.length - 2]).isEqualTo("cli-slim/target/pulse-cli.jar");
        Instruction entrypoint = instructions.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).reduce((a, b) -> b).orElseThrow();
        String[] command = new ObjectMapper().readValue(entrypoint.arguments(), String[].class);
        assertThat(command).containsExactly("java", "-jar", words[words.length - 1]);
    }

    @Test
    void theParserJoinsContinuationsAndSkipsComments() {
        assertThat(parse("# a comment\nFROM a:1 \\\n  AS b\n\nuser 185\n")).containsExactly(
                new Instruction("FROM", "a:1  AS b"), new Instruction("USER", "185"));
    }

    @Test
    void onlyATagOrADigestPinsAnImage() {
        assertThat(pinned("flink:1.20.3-java17")).isTrue();
        assertThat(pinned("registry.access.redhat.com/ubi9/openjdk-17-runtime:1.21")).isTrue();
        assertThat(pinned("eclipse-temurin@sha256:" + "a".repeat(64))).isTrue();
        assertThat(pinned("eclipse-temurin")).isFalse();
        assertThat(pinned("eclipse-temurin:latest")).isFalse();
        assertThat(pinned("localhost:5000/temurin")).isFalse();
    }

    /** A tag other than latest, or a digest (a registry's port is not a tag). */
    static boolean pinned(String image) {
        if (image.contains("@sha256:")) {
            return true;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        return colon > 0 && !last.substring(colon + 1).isEmpty() && !last.substring(colon + 1).equals("latest");
    }
}
