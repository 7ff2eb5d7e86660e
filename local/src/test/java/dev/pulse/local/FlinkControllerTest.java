package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.testsupport.Checkout;
import dev.pulse.testsupport.ChildJvm;
import dev.pulse.testsupport.ConflictRetry;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink operator stand-in on the in-memory API server, with {@link FakeJob} as the job's
 * process: plan and environment handed over as a pod would get them, status DEPLOYED → STABLE,
 * FAILED and restarted when the process dies, restarted with the new plan on a spec change,
 * suspended, stopped on deletion.
 */
class FlinkControllerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    private final FlinkController.JobLauncher fakeLauncher = (name, args, env, workDir, log) -> {
        Files.createDirectories(workDir);
        List<String> launch = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"), FakeJob.class.getName()));
        launch.addAll(args);
        return ChildJvm.start(name, List.of("-Xmx32m"), launch, env, workDir, log);
    };

    @Test
    void runsReportsRestartsUpgradesSuspendsAndStops() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ApiServer api = ApiServer.start(Ports.free(), Checkout.root().resolve("crds"));
                FlinkController flink = new FlinkController(api.client(), new FlinkController.JobSetup(fakeLauncher, dir.resolve("pipelines"),
                        dir.resolve("logs"), List.of("--create-tables")), new Progress(new PrintStream(out, true))).timings(300, 1500).start()) {
            KubernetesClient client = api.client();
            client.resource(new SecretBuilder().withNewMetadata().withName("pulse-serving-db").withNamespace("default").endMetadata()
                    .withData(Map.of("PULSE_JDBC_URL", Base64.getEncoder().encodeToString("jdbc:postgresql://db/x".getBytes(StandardCharsets.UTF_8))))
                    .build()).create();
            plan(client, "{\"version\":1}");
            client.resource(deployment("h1", JobState.RUNNING)).create();
            Path workDir = dir.resolve("pipelines/default/shop-pipeline");

            await().atMost(TIMEOUT).until(() -> "STABLE".equals(lifecycle(client)) && "RUNNING".equals(jobState(client)));
            assertThat(Files.readString(workDir.resolve("plan.json"))).isEqualTo("{\"version\":1}");
            // what it acted on, as the Flink operator writes it: the generation, and the spec with its metadata as JSON text
            FlinkDeployment first = client.resources(FlinkDeployment.class).inNamespace("default").withName("shop-pipeline").get();
            assertThat(((Number) status(client).get("observedGeneration")).longValue()).isEqualTo(first.getMetadata().getGeneration());
            assertThat(reconciledPlanHash(client)).isEqualTo("h1");
            List<Path> started = started(workDir);
            assertThat(started).hasSize(1);
            assertThat(Files.readString(started.get(0)))
                    .contains("--plan " + workDir.toAbsolutePath() + "/plan.json --create-tables")
                    .contains("PULSE_JDBC_URL=jdbc:postgresql://db/x")
                    .contains("PULSE_KAFKA_BOOTSTRAP_SERVERS=localhost:9092");

            // the process dies: FAILED with the reason, then a restart
            Files.writeString(workDir.resolve("crash"), "");
            await().atMost(TIMEOUT).until(() -> "FAILED".equals(lifecycle(client)));
            assertThat(String.valueOf(status(client).get("error"))).contains("exited with code 3").contains("simulated crash");
            await().atMost(TIMEOUT).until(() -> started(workDir).size() == 2 && "RUNNING".equals(jobState(client)));

            // a new plan: the job restarts with it
            plan(client, "{\"version\":2}");
            edit(client, fd -> {
                fd.getSpec().getPodTemplate().getMetadata().setAnnotations(Map.of("pulse.dev/plan-hash", "h2"));
                return fd;
            });
            await().atMost(TIMEOUT).until(() -> started(workDir).size() == 3);
            assertThat(Files.readString(workDir.resolve("plan.json"))).isEqualTo("{\"version\":2}");
            await().atMost(TIMEOUT).until(() -> "h2".equals(reconciledPlanHash(client)) && "RUNNING".equals(jobState(client)));
            assertThat(((Number) status(client).get("observedGeneration")).longValue()).isEqualTo(
                    client.resources(FlinkDeployment.class).inNamespace("default").withName("shop-pipeline").get().getMetadata().getGeneration());
            assertThat(alive(workDir)).isEqualTo(1);

            // suspend, resume
            edit(client, fd -> {
                fd.getSpec().getJob().setState(JobState.SUSPENDED);
                return fd;
            });
            await().atMost(TIMEOUT).until(() -> "SUSPENDED".equals(lifecycle(client)) && alive(workDir) == 0);
            edit(client, fd -> {
                fd.getSpec().getJob().setState(JobState.RUNNING);
                return fd;
            });
            await().atMost(TIMEOUT).until(() -> "RUNNING".equals(jobState(client)) && alive(workDir) == 1);

            // deletion stops the job
            client.resources(FlinkDeployment.class).inNamespace("default").withName("shop-pipeline").delete();
            await().atMost(TIMEOUT).until(() -> alive(workDir) == 0);
        }
    }

    /** The plan hash on the pod template of {@code status.reconciliationStatus.lastReconciledSpec}. */
    private static String reconciledPlanHash(KubernetesClient client) throws java.io.IOException {
        Object spec = PulseKinds.path(status(client), "reconciliationStatus", "lastReconciledSpec");
        if (spec == null) {
            return null;
        }
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(spec.toString());
        assertThat(root.has("resource_metadata")).isTrue();
        return root.path("spec").path("podTemplate").path("metadata").path("annotations").path("pulse.dev/plan-hash").asText(null);
    }

    /** An edit like kubectl's: on a conflict with the controller's status writes, read again and retry. */
    private static void edit(KubernetesClient client, java.util.function.UnaryOperator<FlinkDeployment> change) {
        ConflictRetry.edit(client.resources(FlinkDeployment.class).inNamespace("default").withName("shop-pipeline"), change::apply);
    }

    private static void plan(KubernetesClient client, String json) {
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("shop-pipeline-plan").withNamespace("default").endMetadata()
                .withData(Map.of("plan.json", json)).build()).createOr(c -> c.update());
    }

    private static FlinkDeployment deployment(String hash, JobState state) {
        FlinkDeployment fd = new FlinkDeployment();
        fd.setStatus(null);
        fd.getMetadata().setName("shop-pipeline");
        fd.getMetadata().setNamespace("default");
        FlinkDeploymentSpec spec = new FlinkDeploymentSpec();
        JobSpec job = new JobSpec();
        job.setArgs(new String[] {"--plan", "/opt/pulse/plan/plan.json"});
        job.setState(state);
        spec.setJob(job);
        spec.setPodTemplate(new PodTemplateSpecBuilder().withNewMetadata().withAnnotations(Map.of("pulse.dev/plan-hash", hash)).endMetadata()
                .withNewSpec()
                .withContainers(new ContainerBuilder().withName("flink-main-container")
                        .addNewVolumeMount().withName("pulse-plan").withMountPath("/opt/pulse/plan").endVolumeMount()
                        .addNewEnv().withName("PULSE_KAFKA_BOOTSTRAP_SERVERS").withValue("localhost:9092").endEnv()
                        .withEnvFrom(new EnvFromSourceBuilder().withNewSecretRef("pulse-serving-db", true).build())
                        .build())
                .withVolumes(new VolumeBuilder().withName("pulse-plan").withNewConfigMap().withName("shop-pipeline-plan").endConfigMap().build())
                .endSpec().build());
        fd.setSpec(spec);
        return fd;
    }

    private static Map<String, Object> status(KubernetesClient client) {
        GenericKubernetesResource r = client.genericKubernetesResources(PulseKinds.FLINK_DEPLOYMENT.context()).inNamespace("default")
                .withName("shop-pipeline").get();
        return r == null ? Map.of() : PulseKinds.status(r);
    }

    private static String lifecycle(KubernetesClient client) {
        return (String) status(client).get("lifecycleState");
    }

    private static String jobState(KubernetesClient client) {
        return (String) PulseKinds.path(status(client), "jobStatus", "state");
    }

    private static List<Path> started(Path workDir) {
        if (!Files.isDirectory(workDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(workDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("started-")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long alive(Path workDir) {
        return started(workDir).stream().map(p -> Long.parseLong(p.getFileName().toString().substring("started-".length())))
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).count();
    }

}
