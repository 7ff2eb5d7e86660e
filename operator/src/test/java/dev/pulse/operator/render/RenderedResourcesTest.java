package dev.pulse.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.funnel.Funnel;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.api.v1alpha1.retention.Retention;
import dev.pulse.operator.eventstream.StreamCompiler;
import dev.pulse.operator.eventstream.StreamState;
import dev.pulse.render.EphemeralStateException;
import dev.pulse.render.Labels;
import dev.pulse.render.PipelineTemplates;
import dev.pulse.render.RenderSettings;
import dev.pulse.render.TopicRenderer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: each {@code golden/in-*.yaml} (a stream and its analyses) renders exactly the
 * objects in {@code golden/out-*.yaml}. After an intended change, rewrite the goldens with
 * {@code ./mvnw -o -q -pl operator verify -Dgolden.update=true} and review the diff.
 */
class RenderedResourcesTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "EventStream", EventStream.class, "Metric", Metric.class, "Funnel", Funnel.class, "Retention", Retention.class);
    /** As the chart with pipelines.state set: the built-in template's file:// directories alone are refused (EphemeralState). */
    private static final RenderSettings SETTINGS = new RenderSettings("analytics", "{cluster}-kafka-bootstrap.kafka:9092",
            "ghcr.io/pulse-dev/pulse-pipeline:test", "pulse-pipeline-db", RenderSettings.DEFAULT_GRAFANA_DATASOURCE,
            RenderSettings.StateStorage.of(Optional.of("s3://pulse-test/checkpoints"), Optional.of("s3://pulse-test/savepoints"),
                    Map.of(), Optional.empty()));

    static Stream<String> inputs() throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("in-") && n.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void rendersTheGoldenObjects(String input) throws IOException {
        String rendered = render(read(GOLDEN.resolve(input)));
        Path out = GOLDEN.resolve(input.replaceFirst("^in-", "out-"));
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(out, rendered);
        }
        assertThat(out).as("golden file %s (rewrite with -Dgolden.update=true)", out).exists();
        assertThat(rendered).isEqualTo(Files.readString(out));
    }

    /** Chart values pipelines.state.*: the operator's storage settings win over the template's; the rest stays. */
    @Test
    void durableStateStorageFromTheOperatorsConfigurationGoesOverTheTemplate() throws IOException {
        RenderSettings settings = new RenderSettings(SETTINGS.defaultCluster(), SETTINGS.bootstrapServers(), SETTINGS.image(),
                SETTINGS.databaseSecret(), SETTINGS.grafanaDatasourceUid(), RenderSettings.StateStorage.of(
                        Optional.of("s3://analytics-flink/checkpoints"), Optional.of("s3://analytics-flink/savepoints"),
                        Map.of("s3.endpoint", "http://minio.minio.svc:9000", "s3.path.style.access", "true",
                                "state.savepoints.dir", "s3://overridden-by-savepoints-dir"),
                        Optional.of("pulse-flink-state")));
        List<HasMetadata> resources = read(GOLDEN.resolve("in-shop.yaml"));
        EventStream stream = resources.stream().filter(EventStream.class::isInstance).map(EventStream.class::cast).findFirst().orElseThrow();
        StreamState state = new StreamCompiler(settings, new PipelineTemplates(Optional.of(Path.of("../pipeline-templates"))))
                .compile(stream, resources.stream().filter(r -> !(r instanceof EventStream)).toList(), Map.of());
        assertThat(state.flinkDeployments()).isNotEmpty();
        for (FlinkDeployment fd : state.flinkDeployments().values()) {
            Map<String, String> conf = fd.getSpec().getFlinkConfiguration();
            assertThat(conf).containsEntry("state.checkpoints.dir", "s3://analytics-flink/checkpoints")
                    .containsEntry("state.savepoints.dir", "s3://analytics-flink/savepoints")
                    .containsEntry("s3.endpoint", "http://minio.minio.svc:9000")
                    .containsEntry("s3.path.style.access", "true")
                    .containsEntry("state.backend.type", "rocksdb")
                    .containsEntry("execution.checkpointing.interval", "30s");
            var main = fd.getSpec().getPodTemplate().getSpec().getContainers().get(0);
            assertThat(main.getEnvFrom()).anySatisfy(e -> {
                assertThat(e.getSecretRef().getName()).isEqualTo("pulse-flink-state");
                assertThat(e.getSecretRef().getOptional()).isFalse();
            });
            assertThat(fd.getSpec().getJob().getAllowNonRestoredState()).isTrue();
        }
    }

    /**
     * The dead-letter topic: {@code <topic>.dlq} with the input topic's partitions, replicas and
     * retention and append-time timestamps, also for an external input topic; the job is told its
     * name and exports its counters on the port the chart's PodMonitor scrapes.
     */
    @Test
    void theDeadLetterTopicAndTheJobsMetricsReporter() throws IOException {
        for (String input : List.of("in-shop.yaml", "in-external-suspended.yaml")) {
            List<HasMetadata> resources = read(GOLDEN.resolve(input));
            EventStream stream = resources.stream().filter(EventStream.class::isInstance).map(EventStream.class::cast).findFirst().orElseThrow();
            StreamState state = new StreamCompiler(SETTINGS, new PipelineTemplates(Optional.of(Path.of("../pipeline-templates"))))
                    .compile(stream, resources.stream().filter(r -> !(r instanceof EventStream)).toList(), Map.of());
            var kafka = stream.getSpec().getKafka();
            String dlq = kafka.getTopic() + ".dlq";
            var topic = state.deadLetterTopic();
            assertThat(topic.getSpec().getTopicName()).as(input).isEqualTo(dlq);
            assertThat(topic.getMetadata().getLabels()).containsEntry(Labels.ROLE, Labels.ROLE_DEAD_LETTER_TOPIC)
                    .containsEntry(Labels.STREAM, stream.getMetadata().getName()).containsEntry(Labels.STRIMZI_CLUSTER, "analytics");
            assertThat(topic.getSpec().getConfig()).containsEntry("message.timestamp.type", "LogAppendTime");
            if (state.inputTopic() != null) {
                assertThat(topic.getSpec().getPartitions()).isEqualTo(state.inputTopic().getSpec().getPartitions());
                assertThat(topic.getSpec().getReplicas()).isEqualTo(state.inputTopic().getSpec().getReplicas());
                assertThat(topic.getSpec().getConfig().get("retention.ms")).isEqualTo(state.inputTopic().getSpec().getConfig().get("retention.ms"));
            }
            for (FlinkDeployment fd : state.flinkDeployments().values()) {
                assertThat(fd.getSpec().getJob().getArgs()).containsSubsequence("--dead-letter-topic", dlq);
                assertThat(fd.getSpec().getFlinkConfiguration())
                        .containsEntry("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                        .containsEntry("metrics.reporter.prom.port", "9249");
                var pod = fd.getSpec().getPodTemplate();
                assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.PIPELINE, fd.getMetadata().getName());
                assertThat(pod.getSpec().getContainers().get(0).getPorts())
                        .anySatisfy(p -> {
                            assertThat(p.getName()).isEqualTo("metrics");
                            assertThat(p.getContainerPort()).isEqualTo(9249);
                        });
            }
        }
    }

    /** Chart values pipelines.state unset: the built-in template's file:// directories are on no volume, so nothing is rendered. */
    @Test
    void withoutDurableStateStorageTheBuiltInTemplatesPipelinesAreRefused() throws IOException {
        RenderSettings templateOnly = new RenderSettings(SETTINGS.defaultCluster(), SETTINGS.bootstrapServers(), SETTINGS.image(),
                SETTINGS.databaseSecret());
        List<HasMetadata> resources = read(GOLDEN.resolve("in-shop.yaml"));
        EventStream stream = resources.stream().filter(EventStream.class::isInstance).map(EventStream.class::cast).findFirst().orElseThrow();
        StreamState state = new StreamCompiler(templateOnly, new PipelineTemplates(Optional.of(Path.of("../pipeline-templates"))))
                .compile(stream, resources.stream().filter(r -> !(r instanceof EventStream)).toList(), Map.of());
        assertThat(state.problems()).isEmpty();
        assertThat(state.deployable()).isFalse();
        assertThat(state.flinkDeployments()).isEmpty();
        assertThat(state.planConfigMaps()).isEmpty();
        assertThat(state.blocked()).isInstanceOfSatisfying(EphemeralStateException.class, e -> {
            assertThat(e.reason()).isEqualTo("EphemeralState");
            assertThat(e.getMessage()).startsWith("pipeline shop-events-pipeline ")
                    .contains("state.checkpoints.dir 'file:///flink-data/checkpoints'");
        });
    }

    private static String render(List<HasMetadata> resources) {
        EventStream stream = resources.stream().filter(EventStream.class::isInstance).map(EventStream.class::cast).findFirst().orElseThrow();
        List<HasMetadata> analyses = resources.stream().filter(r -> !(r instanceof EventStream)).toList();
        StreamCompiler compiler = new StreamCompiler(SETTINGS, new PipelineTemplates(Optional.of(Path.of("../pipeline-templates"))));
        StreamState state = compiler.compile(stream, analyses, Map.of());
        assertThat(state.problems()).isEmpty();
        assertThat(state.blocked()).isNull();

        List<HasMetadata> objects = new ArrayList<>();
        if (state.inputTopic() != null) {
            objects.add(state.inputTopic());
        }
        objects.add(state.deadLetterTopic());
        objects.addAll(state.planConfigMaps().values());
        objects.addAll(state.flinkDeployments().values());
        TopicRenderer topics = new TopicRenderer(SETTINGS);
        for (HasMetadata a : analyses) {
            if (a instanceof Metric m) {
                state.plans().stream().flatMap(p -> p.analysis(AnalysisKind.Metric, m.getMetadata().getName()).stream())
                        .filter(p -> p.outputTopic() != null).findFirst()
                        .ifPresent(p -> objects.add(topics.results(m, p, stream)));
            }
        }
        StringBuilder out = new StringBuilder();
        for (HasMetadata o : objects) {
            out.append(YAML.asYaml(o));
        }
        return out.toString();
    }

    private static List<HasMetadata> read(Path file) throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
            if (doc.isBlank() || doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            Map<?, ?> raw = YAML.unmarshal(doc, Map.class);
            out.add(YAML.unmarshal(doc, KINDS.get((String) raw.get("kind"))));
        }
        return out;
    }
}
