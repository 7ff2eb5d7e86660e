package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * e2e/kind/run.sh cannot run here (no cluster), so what can be checked by reading is: its helm
 * install of charts/pulse renders with exactly its flags, and the state storage it configures is the
 * MinIO that minio.yaml deploys, with the bucket its Job creates, the Secrets the script creates and
 * Flink's S3 plugin of the pipeline image's Flink version.
 */
class KindScriptTest {
    private static final Pattern DEFAULTED = Pattern.compile("(?m)^(\\w+)=\"\\$\\{\\w+:-([^}]*)}\"");
    private static final Pattern PLAIN = Pattern.compile("(?m)^(\\w+)=([^\\s\"$]+)");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{(\\w+)}|(\\w+))");

    private final String script = Repo.read(Repo.root().resolve("e2e/kind/run.sh"));
    private final Map<String, String> variables = variables(script);
    private final List<List<String>> commands = commands(script, variables);
    private final List<JsonNode> minio = Rendered.parse(Repo.read(Repo.root().resolve("e2e/kind/minio.yaml")));

    @Test
    void thePipelinesKeepTheirStateInTheBucketOfTheScriptsMinio() {
        List<String> install = only(c -> c.size() > 4 && c.get(0).equals("helm") && c.get(1).equals("upgrade") && c.contains("pulse")
                && c.stream().anyMatch(w -> w.endsWith("/charts/pulse")));
        List<String> command = new ArrayList<>(install.stream().filter(w -> !w.equals("--install")).toList());
        List<JsonNode> rendered = Rendered.parse(Tools.runOk(Repo.root(), InstallDocTest.template(command)).stdout());

        // the bucket the Job creates, behind the Service minio.yaml defines, in the namespace the script applies it to
        String job = one(minio, "Job", "minio-bucket").at("/spec/template/spec/containers/0/args/0").asText();
        Matcher mb = Pattern.compile("mc mb --ignore-existing e2e/(\\S+)").matcher(job);
        assertThat(mb.find()).as(job).isTrue();
        String bucket = mb.group(1);
        JsonNode service = one(minio, "Service", "minio");
        String namespace = only(c -> c.get(0).equals("kubectl") && c.get(1).equals("apply") && c.stream().anyMatch(w -> w.endsWith("/minio.yaml")))
                .stream().dropWhile(w -> !w.equals("-n")).skip(1).findFirst().orElseThrow();
        String endpoint = "http://" + service.at("/metadata/name").asText() + "." + namespace + ".svc:" + service.at("/spec/ports/0/port").asInt();
        assertThat(job).contains("mc alias set e2e " + endpoint + " ");

        Map<String, String> env = new HashMap<>();
        for (JsonNode e : one(rendered, "Deployment", "pulse-operator").at("/spec/template/spec/containers/0/env")) {
            env.put(e.path("name").asText(), e.path("value").asText());
        }
        assertThat(env.get("PULSE_FLINK_STATE_CHECKPOINTS_DIR")).isEqualTo("s3://" + bucket + "/checkpoints");
        assertThat(env.get("PULSE_FLINK_STATE_SAVEPOINTS_DIR")).isEqualTo("s3://" + bucket + "/savepoints");
        String properties = one(rendered, "ConfigMap", "pulse-operator-config").at("/data/pulse.properties").asText();
        assertThat(properties.lines()).contains("pulse.flink.state.flink-configuration.\"s3.endpoint\"=" + endpoint,
                "pulse.flink.state.flink-configuration.\"s3.path.style.access\"=true");
        // no template that allows ephemeral state: the operator checks the s3:// directories as durable
        assertThat(env).doesNotContainKey("PULSE_TEMPLATES_DIRECTORY");
        assertThat(rendered.toString()).doesNotContain("ephemeral-state");

        // the credentials Secret, in the team namespace: MinIO's own login, and the S3 plugin of the image's Flink
        String secret = env.get("PULSE_FLINK_STATE_SECRET");
        List<String> flinkLogin = only(c -> c.size() > 4 && c.get(1).equals("create") && c.get(3).equals("generic") && c.get(4).equals(secret));
        assertThat(flinkLogin).containsSequence("-n", variables.get("NS"));
        List<String> minioLogin = only(c -> c.size() > 4 && c.get(1).equals("create") && c.get(3).equals("generic")
                && c.get(4).equals(one(minio, "Deployment", "minio").at("/spec/template/spec/containers/0/envFrom/0/secretRef/name").asText()));
        assertThat(minioLogin).containsSequence("-n", namespace);
        assertThat(literal(flinkLogin, "AWS_ACCESS_KEY_ID")).isEqualTo(literal(minioLogin, "MINIO_ROOT_USER")).isNotBlank();
        assertThat(literal(flinkLogin, "AWS_SECRET_ACCESS_KEY")).isEqualTo(literal(minioLogin, "MINIO_ROOT_PASSWORD")).isNotBlank();
        Matcher flink = Pattern.compile("FROM flink:(\\S+)-java17").matcher(Repo.read(Repo.root().resolve("images/pipeline.Dockerfile")));
        assertThat(flink.find()).isTrue();
        assertThat(literal(flinkLogin, "ENABLE_BUILT_IN_PLUGINS")).isEqualTo("flink-s3-fs-hadoop-" + flink.group(1) + ".jar");
    }

    @Test
    void minioImagesArePinned() {
        List<String> images = new ArrayList<>();
        for (JsonNode o : minio) {
            o.at("/spec/template/spec/containers").forEach(c -> images.add(c.path("image").asText()));
        }
        assertThat(images).hasSize(2).allMatch(DockerfileTest::pinned);
    }

    @Test
    void variablesTakeTheirDefaults() {
        Map<String, String> vars = variables("A=\"${X:-a b}\"\nB=plain\nC=\"$(pwd)\"\n");
        assertThat(vars).containsEntry("A", "a b").containsEntry("B", "plain").doesNotContainKey("C");
        assertThat(commands("kubectl create ns \"$A\" \\\n  --x=${B} \"{$B}\"\n", vars))
                .containsExactly(List.of("kubectl", "create", "ns", "a b", "--x=plain", "{plain}"));
    }

    private List<String> only(java.util.function.Predicate<List<String>> which) {
        List<List<String>> found = commands.stream().filter(which).toList();
        assertThat(found).as("one such command in run.sh").hasSize(1);
        return found.get(0);
    }

    /** The value of a {@code --from-literal=KEY=value} word. */
    private static String literal(List<String> command, String key) {
        return command.stream().filter(w -> w.startsWith("--from-literal=" + key + "=")).map(w -> w.substring(w.indexOf('=', 15) + 1))
                .findFirst().orElseThrow(() -> new AssertionError(key + " not in " + command));
    }

    private static JsonNode one(List<JsonNode> objects, String kind, String name) {
        List<JsonNode> found = objects.stream().filter(o -> o.path("kind").asText().equals(kind) && o.at("/metadata/name").asText().equals(name)).toList();
        assertThat(found).as("%s/%s", kind, name).hasSize(1);
        return found.get(0);
    }

    /** The script's variables with their defaults ({@code NAME="${ENV:-default}"} or {@code NAME=value}); ROOT is the checkout. */
    static Map<String, String> variables(String script) {
        Map<String, String> vars = new HashMap<>();
        vars.put("ROOT", Repo.root().toString());
        for (Pattern p : List.of(DEFAULTED, PLAIN)) {
            Matcher m = p.matcher(script);
            while (m.find()) {
                vars.putIfAbsent(m.group(1), m.group(2));
            }
        }
        return vars;
    }

    /** Every command line of the script (continuations joined) as its words, the known variables expanded. */
    static List<List<String>> commands(String script, Map<String, String> vars) {
        List<List<String>> out = new ArrayList<>();
        for (String line : script.replaceAll("\\\\\\n", " ").split("\\n")) {
            List<String> words = InstallDocTest.words(line.strip());
            if (!words.isEmpty()) {
                out.add(words.stream().map(w -> VARIABLE.matcher(w).replaceAll(m -> Matcher.quoteReplacement(
                        vars.getOrDefault(m.group(1) != null ? m.group(1) : m.group(2), m.group())))).toList());
            }
        }
        return out;
    }
}
