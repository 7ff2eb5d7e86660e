package dev.pulse.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.api.compile.Compilation;
import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.v1alpha1.common.Reasons;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which state directories survive a pipeline's pods, and when a pipeline is refused for them. */
class StateDurabilityTest {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    /** A FlinkDeployment with both directories set to {@code dir} and the given extra spec (pod templates). */
    private static FlinkDeployment pipeline(String dir, String extraSpec) {
        return YAML.unmarshal("""
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkDeployment
                metadata: {name: shop-events-pipeline}
                spec:
                  flinkConfiguration:
                    state.checkpoints.dir: "%s"
                    state.savepoints.dir: "%s"
                %s
                """.formatted(dir, dir, extraSpec.indent(2)), FlinkDeployment.class);
    }

    private static FlinkDeployment pipeline(String dir) {
        return pipeline(dir, "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://bucket/checkpoints", "s3a://bucket/cp", "s3p://bucket/cp", "gs://bucket/cp", "abfs://c@acct.dfs.core.windows.net/cp",
        "abfss://c@acct.dfs.core.windows.net/cp", "wasb://c@acct.blob.core.windows.net/cp", "wasbs://c@acct.blob.core.windows.net/cp",
        "oss://bucket/cp", "hdfs://namenode:8020/flink/cp", "viewfs://cluster/flink/cp", "S3://Bucket/upper-case-scheme"})
    void distributedFilesystemsAreDurable(String dir) {
        assertThat(StateDurability.firstEphemeral(pipeline(dir))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "file:///flink-data/checkpoints | local path on no volume of the jobManager pod",
        "/flink-data/checkpoints | local path on no volume of the jobManager pod",
        "file:/flink-data/checkpoints | local path on no volume of the jobManager pod",
        "flink-data/checkpoints | relative path",
        "ftp://host/checkpoints | 'ftp://' is not a filesystem Pulse knows to be durable",
        "memory://checkpoints | 'memory://' is not a filesystem Pulse knows to be durable"})
    void localPathsWithoutAVolumeAndUnknownSchemesAreNot(String dir, String why) {
        var ephemeral = StateDurability.firstEphemeral(pipeline(dir)).orElseThrow();
        assertThat(ephemeral.key()).isEqualTo("state.checkpoints.dir");
        assertThat(ephemeral.value()).isEqualTo(dir);
        assertThat(ephemeral.why()).contains(why);
    }

    @Test
    void aMissingDirectoryIsNotDurable() {
        FlinkDeployment fd = YAML.unmarshal("""
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkDeployment
                spec:
                  flinkConfiguration: {state.checkpoints.dir: "s3://bucket/cp"}
                """, FlinkDeployment.class);
        var ephemeral = StateDurability.firstEphemeral(fd).orElseThrow();
        assertThat(ephemeral.key()).isEqualTo("state.savepoints.dir");
        assertThat(ephemeral.value()).isNull();
        assertThat(ephemeral.why()).isEqualTo("it is not set");

        FlinkDeployment none = YAML.unmarshal("apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\nspec: {}\n", FlinkDeployment.class);
        assertThat(StateDurability.firstEphemeral(none).orElseThrow().key()).isEqualTo("state.checkpoints.dir");
    }

    private static final String ON_CLAIM = """
            podTemplate:
              spec:
                containers:
                  - name: flink-main-container
                    volumeMounts: [{name: state, mountPath: /flink-data}]
                volumes:
                  - {name: state, persistentVolumeClaim: {claimName: flink-state}}
            """;

    @ParameterizedTest
    @ValueSource(strings = {"file:///flink-data/checkpoints", "/flink-data/checkpoints", "file:///flink-data", "/flink-data/./a/../checkpoints",
        "file://localhost/flink-data/checkpoints"})
    void aLocalPathOnAPersistentVolumeClaimIsDurable(String dir) {
        assertThat(StateDurability.firstEphemeral(pipeline(dir, ON_CLAIM))).isEmpty();
    }

    @Test
    void aMountIsAPathPrefixOnlyAtASlash() {
        // /flink-data-other is not under /flink-data
        var ephemeral = StateDurability.firstEphemeral(pipeline("file:///flink-data-other/cp", ON_CLAIM)).orElseThrow();
        assertThat(ephemeral.why()).contains("on no volume");
        // nor does ".." climb out of the mount and stay on it
        assertThat(StateDurability.firstEphemeral(pipeline("/flink-data/../tmp/cp", ON_CLAIM))).isPresent();
    }

    @Test
    void anEmptyDirIsNotDurable() {
        var ephemeral = StateDurability.firstEphemeral(pipeline("file:///flink-data/checkpoints", """
                podTemplate:
                  spec:
                    containers:
                      - name: flink-main-container
                        volumeMounts: [{name: state, mountPath: /flink-data}]
                    volumes:
                      - {name: state, emptyDir: {}}
                """)).orElseThrow();
        assertThat(ephemeral.why()).contains("an emptyDir volume ('state' at /flink-data)").contains("not a persistentVolumeClaim");
    }

    @Test
    void theMostSpecificMountDecides() {
        String nested = """
                podTemplate:
                  spec:
                    containers:
                      - name: flink-main-container
                        volumeMounts:
                          - {name: scratch, mountPath: /flink-data}
                          - {name: state, mountPath: /flink-data/durable/}
                    volumes:
                      - {name: scratch, emptyDir: {}}
                      - {name: state, persistentVolumeClaim: {claimName: flink-state}}
                """;
        assertThat(StateDurability.firstEphemeral(pipeline("file:///flink-data/durable/checkpoints", nested))).isEmpty();
        assertThat(StateDurability.firstEphemeral(pipeline("file:///flink-data/checkpoints", nested)).orElseThrow().why()).contains("emptyDir");
    }

    @Test
    void aMountOfAnotherContainerOrAnUndeclaredVolumeDoesNotCount() {
        var sidecar = StateDurability.firstEphemeral(pipeline("/flink-data/cp", """
                podTemplate:
                  spec:
                    containers:
                      - name: sidecar
                        volumeMounts: [{name: state, mountPath: /flink-data}]
                    volumes:
                      - {name: state, persistentVolumeClaim: {claimName: flink-state}}
                """)).orElseThrow();
        assertThat(sidecar.why()).contains("on no volume");
        var undeclared = StateDurability.firstEphemeral(pipeline("/flink-data/cp", """
                podTemplate:
                  spec:
                    containers:
                      - name: flink-main-container
                        volumeMounts: [{name: state, mountPath: /flink-data}]
                """)).orElseThrow();
        assertThat(undeclared.why()).contains("an undeclared volume");
    }

    @Test
    void bothJobManagerAndTaskManagerPodsNeedTheClaim() {
        String onlyJobManager = """
                jobManager:
                  podTemplate:
                    spec:
                      containers:
                        - name: flink-main-container
                          volumeMounts: [{name: state, mountPath: /flink-data}]
                      volumes:
                        - {name: state, persistentVolumeClaim: {claimName: flink-state}}
                """;
        assertThat(StateDurability.firstEphemeral(pipeline("/flink-data/cp", onlyJobManager)).orElseThrow().why())
                .contains("no volume of the taskManager pod");
        String both = onlyJobManager + onlyJobManager.replace("jobManager:", "taskManager:");
        assertThat(StateDurability.firstEphemeral(pipeline("/flink-data/cp", both))).isEmpty();
        // a role's own pod template overrides a volume of the common one by name
        String overridden = ON_CLAIM + """
                taskManager:
                  podTemplate:
                    spec:
                      volumes:
                        - {name: state, emptyDir: {}}
                """;
        assertThat(StateDurability.firstEphemeral(pipeline("/flink-data/cp", overridden)).orElseThrow().why())
                .contains("emptyDir").contains("taskManager pod");
    }

    // --- the refusal: stateful pipelines only, unless the template allows ephemeral state

    /** The shared pipeline of a stream with a Metric, compiled; with analyses == 0, the same pipeline without it. */
    private static PipelinePlan plan(int analyses) {
        EventStream stream = YAML.unmarshal("""
                apiVersion: pulse.dev/v1alpha1
                kind: EventStream
                metadata: {name: shop-events, namespace: growth}
                spec:
                  kafka: {topic: shop-events}
                  eventTypeField: event
                  actorField: user_id
                  timestamp: {field: ts, format: epochMillis}
                  fields: [{name: amount, type: double}]
                """, EventStream.class);
        Metric metric = YAML.unmarshal("""
                apiVersion: pulse.dev/v1alpha1
                kind: Metric
                metadata: {name: orders, namespace: growth}
                spec:
                  stream: shop-events
                  events: [purchase]
                  aggregation: {type: count}
                  window: {type: tumbling, size: 1m}
                """, Metric.class);
        Compilation compilation = new PlanCompiler(Map.of()).compile(analyses == 0 ? List.of(stream) : List.of(stream, metric));
        assertThat(compilation.problems()).isEmpty();
        PipelinePlan plan = compilation.plans().stream().filter(p -> p.pipeline().equals("shop-events-pipeline")).findFirst().orElseThrow();
        assertThat(plan.analyses()).hasSize(analyses);
        return plan;
    }

    @Test
    void aStatefulPipelineOnEphemeralStateIsRefusedNamingPipelineDirectoryAndTheWaysOut() {
        assertThatThrownBy(() -> StateDurability.requireDurable(pipeline("file:///flink-data/checkpoints"), plan(1), "default"))
                .isInstanceOfSatisfying(EphemeralStateException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reasons.EPHEMERAL_STATE).isEqualTo("EphemeralState");
                    assertThat(e.directory().key()).isEqualTo("state.checkpoints.dir");
                    assertThat(e.getMessage()).contains("pipeline shop-events-pipeline")
                            .contains("state.checkpoints.dir 'file:///flink-data/checkpoints'")
                            .contains("pipelines.state.checkpointsDir")
                            .contains("pulse.dev/ephemeral-state: \"allowed\"")
                            .contains("template 'default'");
                });
        FlinkDeployment savepointsOnly = pipeline("s3://bucket/cp");
        savepointsOnly.getSpec().getFlinkConfiguration().put("state.savepoints.dir", "/tmp/savepoints");
        assertThatThrownBy(() -> StateDurability.requireDurable(savepointsOnly, plan(1), "big"))
                .hasMessageContaining("state.savepoints.dir '/tmp/savepoints'").hasMessageContaining("pipelines.state.savepointsDir");
    }

    @Test
    void aPipelineWithoutAnalysesKeepsNoStateAndADurableOneIsFine() {
        assertThatCode(() -> StateDurability.requireDurable(pipeline("file:///flink-data/checkpoints"), plan(0), "default"))
                .doesNotThrowAnyException();
        assertThatCode(() -> StateDurability.requireDurable(pipeline("s3://bucket/cp"), plan(1), "default")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({"allowed, true", "Allowed, false", "true, false", "'', false"})
    void theTemplatesAnnotationAllowsEphemeralStateOnlyWithTheExactValue(String value, boolean allowed) {
        FlinkDeployment fd = pipeline("file:///flink-data/checkpoints");
        fd.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of("pulse.dev/ephemeral-state", value)));
        assertThat(StateDurability.ephemeralAllowed(fd)).isEqualTo(allowed);
        if (allowed) {
            assertThatCode(() -> StateDurability.requireDurable(fd, plan(1), "local")).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> StateDurability.requireDurable(fd, plan(1), "local")).isInstanceOf(EphemeralStateException.class);
        }
    }

    @Test
    void theBuiltInTemplateAloneIsRefusedAndItsCopyWithTheAnnotationIsNot() {
        FlinkDeployment builtIn = new PipelineTemplates(Optional.of(java.nio.file.Path.of("../pipeline-templates"))).load("default");
        assertThat(StateDurability.ephemeralAllowed(builtIn)).isFalse();
        assertThat(StateDurability.firstEphemeral(builtIn)).map(StateDurability.EphemeralDirectory::value)
                .contains("file:///flink-data/checkpoints");
    }
}
