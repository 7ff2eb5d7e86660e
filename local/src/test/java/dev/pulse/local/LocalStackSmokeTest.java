package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack end to end with the real operator as a child JVM: samples 01 and 02 → the KafkaTopic is
 * Ready (the Strimzi stand-in made the topic) and the FlinkDeployment exists and runs. Needs
 * operator/target/quarkus-app and the pipeline jar; takes 1–2 minutes on 2 cores, so it is
 * {@code @Tag("slow")}, left out of the default build:
 * {@code ./mvnw -o -f local/pom.xml verify -Dlocal.excludedGroups=none -Dgroups=slow}.
 */
@Tag("slow")
class LocalStackSmokeTest {
    @TempDir
    Path dir;

    @Test
    void samplesBecomeATopicAndARunningPipeline() throws Exception {
        Path defs = Files.createDirectories(dir.resolve("defs"));
        Files.copy(TestHome.samples().resolve("01-eventstream-shop-events.yaml"), defs.resolve("01-eventstream-shop-events.yaml"));
        Files.copy(TestHome.samples().resolve("02-metric-orders-per-minute.yaml"), defs.resolve("02-metric-orders-per-minute.yaml"));
        LocalStack stack = new LocalStack(new LocalStack.Options(TestHome.home(), dir.resolve("data"), defs, 20, false));
        try {
            stack.start();
            var client = ApiServer.client(String.valueOf(StackFile.read(dir.resolve("data")).orElseThrow().get("apiServer")));
            TopicControllerTest.await(() -> {
                GenericKubernetesResource kt = client.genericKubernetesResources(PulseKinds.KAFKA_TOPIC.context()).inNamespace("default")
                        .withName("shop-events").get();
                return kt != null && "True".equals(PulseKinds.condition(kt, "Ready").map(c -> c.get("status")).orElse(null));
            }, Duration.ofSeconds(120));
            TopicControllerTest.await(() -> {
                GenericKubernetesResource fd = client.genericKubernetesResources(PulseKinds.FLINK_DEPLOYMENT.context())
                        .inNamespace("default").withName("shop-events-pipeline").get();
                return fd != null && "RUNNING".equals(PulseKinds.path(PulseKinds.status(fd), "jobStatus", "state"));
            }, Duration.ofSeconds(60));
            assertThat(Files.exists(dir.resolve("data/pipelines/default/shop-events-pipeline/plan.json"))).isTrue();
            client.close();
        } finally {
            stack.stop();
        }
        assertThat(StackFile.read(dir.resolve("data"))).isEmpty();
    }
}
