package dev.pulse.local;

import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.funnel.Funnel;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.api.v1alpha1.retention.Retention;
import dev.pulse.cli.StackCommands;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pulse plan} against the running local stack: the definitions its Kubernetes API holds,
 * and from its broker the records each new version's backfill would read ({@link BackfillRecords}).
 */
final class RunningDefinitions {
    private RunningDefinitions() {
    }

    /**
     * @param after the plans about to be applied: their analyses' backfills are counted
     * @param nowMs the time a duration backfill counts back from
     */
    static Optional<StackCommands.Running> read(Path dataDir, List<PipelinePlan> after, PrintWriter err, long nowMs) {
        Optional<Map<String, Object>> stack = StackFile.running(dataDir);
        if (stack.isEmpty()) {
            return Optional.empty();
        }
        String apiServer = String.valueOf(stack.get().get("apiServer"));
        String kafka = String.valueOf(stack.get().get("kafkaBootstrapServers"));
        List<HasMetadata> definitions = new ArrayList<>();
        try (KubernetesClient client = StackConnection.connect(dataDir)) {
            for (Class<? extends HasMetadata> kind : List.of(EventStream.class, Metric.class, Funnel.class, Retention.class)) {
                definitions.addAll(client.resources(kind).inAnyNamespace().list().getItems());
            }
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("the local stack's Kubernetes API at " + apiServer + " did not answer: " + e.getMessage(), e);
        }
        Map<String, Long> records = BackfillRecords.count(kafka, after, nowMs, err);
        return Optional.of(new StackCommands.Running("the local stack (Kubernetes API " + apiServer + ", Kafka " + kafka + ")",
                definitions, records));
    }
}
