package dev.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PulseCommandsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return run(Pulse.commandLine(), args);
    }

    private int run(CommandLine cmd, String... args) {
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return cmd.execute(args);
    }

    @Test
    void theHelpListsEveryCommandWithTheLocalStackOnes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("validate", "compile", "plan", "replay", "local", "get", "describe");
        assertThat(run("local", "--help")).isZero();
        assertThat(out.toString()).contains("-f, --filename=DIR", "--rate=N", "--reset", "--data-dir=DIR");
    }

    @Test
    void theLocalStackCommandsSayWhereTheyRun() {
        // on this module's classpath there is no local module: the pulse script runs them with its classpath
        assertThat(run("get")).isEqualTo(1);
        assertThat(err.toString()).contains("pulse get: runs with the local module's classpath: start it with ./pulse get");
    }

    @Test
    void theSamplesAreValid() {
        assertThat(run("validate", "-f", "../samples")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("definitions valid");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void invalidDefinitionsExitOneWithALinePerProblem(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("../samples/01-eventstream-shop-events.yaml"), dir.resolve("01.yaml"));
        Files.writeString(dir.resolve("02.yaml"), """
                apiVersion: pulse.dev/v1alpha1
                kind: Metric
                metadata: {name: orders}
                spec:
                  stream: shop-events
                  aggregation: {type: sum, field: country}
                  dimensions: [colour]
                  window: {type: tumbling, size: 1m}
                """);
        assertThat(run("validate", "-f", dir.toString())).isEqualTo(1);
        // line 6 is "  aggregation: {type: sum, field: country}" ('field' at column 28); line 7 "  dimensions: [colour]"
        assertThat(err.toString().lines()).containsExactly(
                dir.resolve("02.yaml") + ":6:28: Metric/orders: spec.aggregation.field: sum needs a numeric field (long or double); 'country' is a string",
                dir.resolve("02.yaml") + ":7:16: Metric/orders: spec.dimensions[0]: the stream has no field 'colour'; its fields are: event, user_id, ts, platform, country, amount, product_id, quantity");
        assertThat(out.toString()).isEmpty();

        // the same problems as one JSON document on standard output
        err.getBuffer().setLength(0);
        assertThat(run("validate", "-o", "json", "-f", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).isEmpty();
        JsonNode doc = Definitions.JSON.readTree(out.toString());
        assertThat(doc.path("valid").asBoolean(true)).isFalse();
        assertThat(doc.path("problems")).hasSize(2);
        JsonNode first = doc.path("problems").get(0);
        assertThat(first.path("file").asText()).isEqualTo(dir.resolve("02.yaml").toString());
        assertThat(first.path("line").asInt()).isEqualTo(6);
        assertThat(first.path("column").asInt()).isEqualTo(28);
        assertThat(first.path("resource").asText()).isEqualTo("Metric/orders");
        assertThat(first.path("field").asText()).isEqualTo("spec.aggregation.field");
        assertThat(first.path("message").asText()).startsWith("sum needs a numeric field");
    }

    @Test
    void aMissingRequiredFieldIsReportedAtItsOwnPath(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("../samples/01-eventstream-shop-events.yaml"), dir.resolve("01.yaml"));
        Files.writeString(dir.resolve("02.yaml"), """
                apiVersion: pulse.dev/v1alpha1
                kind: Metric
                metadata: {name: orders}
                spec:
                  aggregation: {type: count}
                  window: {type: tumbling, size: 1m}
                """);
        Files.writeString(dir.resolve("03.yaml"), """
                apiVersion: pulse.dev/v1alpha1
                kind: Metric
                metadata: {name: p150}
                spec:
                  stream: shop-events
                  aggregation: {type: percentile, field: amount, percentile: 150}
                  window: {type: tumbling, size: 1m}
                """);
        assertThat(run("validate", "-f", dir.toString())).isEqualTo(1);
        // the missing field points at the mapping that lacks it (line 4, "spec:"); 'percentile: 150' is at line 6, column 50
        assertThat(err.toString().lines()).containsExactly(
                dir.resolve("02.yaml") + ":4:1: Metric/orders: spec.stream: required field 'stream' is missing",
                dir.resolve("03.yaml") + ":6:50: Metric/p150: spec.aggregation.percentile: a percentile needs 'percentile' strictly between 0 and 100");
    }

    @Test
    void exitCodesTellInvalidFromUsageFromInternalErrors(@TempDir Path dir) throws Exception {
        assertThat(run("validate", "-f", dir.resolve("absent.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("absent.yaml: no such file or directory");
        assertThat(run("validate", "--no-such-option", "-f", "../samples")).isEqualTo(2);
        Files.writeString(dir.resolve("broken.yaml"), "kind: [unclosed\n");
        assertThat(run("validate", "-f", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(dir.resolve("broken.yaml") + ":2:1: not valid YAML: while parsing a flow sequence: expected ',' or ']'");
        CommandLine withBug = Pulse.commandLine().addSubcommand("crash", new Crash());
        assertThat(run(withBug, "crash")).isEqualTo(3);
        assertThat(err.toString()).contains("pulse crash: internal error: java.lang.IllegalStateException: a bug");
    }

    @CommandLine.Command(name = "crash")
    static final class Crash implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("a bug");
        }
    }

    @Test
    void compileWritesJsonWhenAsked() throws Exception {
        assertThat(run("compile", "-o", "json", "-f", "../samples", "--namespace", "growth")).as(err.toString()).isZero();
        JsonNode doc = Definitions.JSON.readTree(out.toString());
        assertThat(doc.path("plans")).isNotEmpty();
        assertThat(doc.path("plans").get(0).path("pipeline").asText()).isEqualTo("shop-events-pipeline");
        List<String> kinds = new ArrayList<>();
        doc.path("objects").forEach(o -> kinds.add(o.path("kind").asText()));
        assertThat(kinds).contains("KafkaTopic", "ConfigMap", "FlinkDeployment");
    }

    @Test
    void compilePrintsOnePlanPerPipeline() throws Exception {
        assertThat(run("compile", "-f", "../samples", "--namespace", "growth")).as(err.toString()).isZero();
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = CompileCommand.YAML.readerFor(JsonNode.class).readValues(out.toString())) {
            it.forEachRemaining(docs::add);
        }
        JsonNode plan = docs.stream().filter(d -> d.has("analyses")).findFirst().orElseThrow();
        assertThat(plan.path("pipeline").asText()).isEqualTo("shop-events-pipeline");
        assertThat(plan.path("stream").path("namespace").asText()).isEqualTo("growth");
        List<String> names = new ArrayList<>();
        plan.path("analyses").forEach(a -> names.add(a.path("kind").asText() + "/" + a.path("name").asText()));
        List<String> kinds = docs.stream().filter(d -> d.has("kind")).map(d -> d.path("kind").asText()).toList();
        assertThat(kinds).containsExactly("KafkaTopic", "KafkaTopic", "ConfigMap", "FlinkDeployment");
        String topic = docs.stream().filter(d -> "KafkaTopic".equals(d.path("kind").asText())).findFirst().orElseThrow()
                .at("/spec/topicName").asText();
        JsonNode dlq = docs.stream().filter(d -> "KafkaTopic".equals(d.path("kind").asText())).skip(1).findFirst().orElseThrow();
        assertThat(dlq.at("/spec/topicName").asText()).isEqualTo(topic + ".dlq");
        assertThat(dlq.at("/metadata/labels/pulse.dev~1role").asText()).isEqualTo("dead-letter-topic");
        JsonNode deployment = docs.stream().filter(d -> "FlinkDeployment".equals(d.path("kind").asText())).findFirst().orElseThrow();
        assertThat(deployment.path("metadata").path("annotations").path("pulse.dev/plan-hash").asText())
                .isEqualTo(dev.pulse.api.plan.PlanJson.read(plan.toString()).jobHash());
        assertThat(deployment.at("/spec/job/allowNonRestoredState").isBoolean()).isTrue();
        assertThat(deployment.at("/spec/job/args").toString()).contains("\"--dead-letter-topic\",\"" + topic + ".dlq\"");
        assertThat(deployment.at("/spec/job/allowNonRestoredState").booleanValue())
                .as("a changed or removed analysis leaves unclaimed state in the savepoint").isTrue();
        assertThat(names).containsExactlyInAnyOrder("Metric/orders-per-minute", "Metric/revenue-by-country", "Metric/active-users",
                "Metric/checkout-conversion", "Metric/order-value-p95", "Funnel/purchase-funnel", "Retention/buyer-retention");
    }

    @Test
    void replayWritesOneRowPerWindowAndDimensionValues(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("../samples/01-eventstream-shop-events.yaml"), dir.resolve("01.yaml"));
        Files.copy(Path.of("../samples/02-metric-orders-per-minute.yaml"), dir.resolve("02.yaml"));
        Path events = dir.resolve("events.jsonl");
        long t = 1767225600000L; // 2026-01-01T00:00:00Z
        Files.writeString(events, String.join("\n",
                "{\"event\":\"purchase\",\"user_id\":\"u1\",\"ts\":" + (t + 10_000) + ",\"platform\":\"ios\"}",
                "{\"event\":\"purchase\",\"user_id\":\"u2\",\"ts\":" + (t + 59_999) + ",\"platform\":\"ios\"}",
                "{\"event\":\"product_view\",\"user_id\":\"u2\",\"ts\":" + (t + 20_000) + ",\"platform\":\"ios\"}",
                "{\"event\":\"purchase\",\"user_id\":\"u3\",\"ts\":" + (t + 60_000) + "}",
                "not json",
                "{\"event\":\"purchase\",\"user_id\":\"u3\",\"ts\":" + (t + 61_000) + ",\"platform\":null}") + "\n");
        Path rows = dir.resolve("rows.jsonl");
        Path bad = dir.resolve("bad.jsonl");
        assertThat(run("replay", "-f", dir.toString(), "--events", events.toString(), "--out", rows.toString(), "-n", "growth",
                "--dead-letter", bad.toString())).as(err.toString()).isZero();
        assertThat(Files.readAllLines(bad)).singleElement().satisfies(line -> {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertThat(n.get("reason").asText()).isEqualTo("not-json");
            assertThat(n.get("file").asText()).isEqualTo(events.toString());
            assertThat(n.get("line").asInt()).isEqualTo(5);
            assertThat(n.get("record").asText()).isEqualTo("not json");
            assertThat(n.get("detail").asText()).isNotBlank();
        });
        assertThat(Files.readAllLines(rows)).containsExactlyInAnyOrder(
                "{\"kind\":\"Metric\",\"namespace\":\"growth\",\"name\":\"orders-per-minute\",\"windowStart\":\"2026-01-01T00:00:00Z\",\"windowEnd\":\"2026-01-01T00:01:00Z\",\"dimensions\":{\"platform\":\"ios\"},\"value\":2.0}",
                "{\"kind\":\"Metric\",\"namespace\":\"growth\",\"name\":\"orders-per-minute\",\"windowStart\":\"2026-01-01T00:01:00Z\",\"windowEnd\":\"2026-01-01T00:02:00Z\",\"dimensions\":{\"platform\":null},\"value\":2.0}");
    }
}
