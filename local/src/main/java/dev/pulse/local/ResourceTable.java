package dev.pulse.local;

import dev.pulse.cli.Columns;
import dev.pulse.cli.StackCommands;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code pulse get [KIND [NAME]] [-n NS | -A]} against the running local stack, like kubectl get:
 * without a kind, every Pulse resource; columns READY, REASON, LAG, FRESHNESS, AGE (and for
 * KafkaTopics and FlinkDeployments what Strimzi and the Flink operator report).
 */
final class ResourceTable {
    private ResourceTable() {
    }

    static int print(StackCommands.Get request, PrintWriter out, PrintWriter err) {
        List<PulseKinds.Kind> kinds = request.kind() == null ? PulseKinds.PULSE : List.of(PulseKinds.named(request.kind()));
        boolean all = request.allNamespaces();
        String namespace = request.namespace();
        String name = request.name();
        try (KubernetesClient client = StackConnection.connect(StackConnection.dataDir())) {
            List<String[]> rows = new ArrayList<>();
            rows.add(all ? new String[] {"NAMESPACE", "NAME", "READY", "REASON", "LAG", "FRESHNESS", "AGE"}
                    : new String[] {"NAME", "READY", "REASON", "LAG", "FRESHNESS", "AGE"});
            for (PulseKinds.Kind kind : kinds) {
                var op = client.genericKubernetesResources(kind.context());
                List<GenericKubernetesResource> items = new ArrayList<>();
                if (name != null) {
                    GenericKubernetesResource r = op.inNamespace(namespace).withName(name).get();
                    if (r == null) {
                        err.println("Error from server (NotFound): " + kind.plural() + " \"" + name + "\" not found");
                        return 1;
                    }
                    items.add(r);
                } else {
                    items.addAll(all ? op.inAnyNamespace().list().getItems() : op.inNamespace(namespace).list().getItems());
                }
                items.sort(Comparator.comparing((GenericKubernetesResource r) -> r.getMetadata().getNamespace())
                        .thenComparing(r -> r.getMetadata().getName()));
                for (GenericKubernetesResource r : items) {
                    rows.add(row(kind, r, all));
                }
            }
            if (rows.size() == 1) {
                out.println("No resources found" + (all ? "" : " in " + namespace + " namespace") + ".");
                return 0;
            }
            Columns.print(rows, out);
            return 0;
        } catch (IllegalStateException e) {
            err.println("pulse get: " + e.getMessage());
            return 1;
        }
    }

    private static String[] row(PulseKinds.Kind kind, GenericKubernetesResource r, boolean all) {
        String ready;
        String reason;
        String lag = PulseKinds.lag(r);
        String fresh = PulseKinds.freshness(r);
        if (kind == PulseKinds.FLINK_DEPLOYMENT) {
            Object lifecycle = PulseKinds.path(PulseKinds.status(r), "lifecycleState");
            Object job = PulseKinds.path(PulseKinds.status(r), "jobStatus", "state");
            ready = "STABLE".equals(lifecycle) && "RUNNING".equals(job) ? "True" : lifecycle == null ? "Unknown" : "False";
            reason = (lifecycle == null ? "-" : lifecycle) + "/" + (job == null ? "-" : job);
        } else {
            ready = PulseKinds.ready(r);
            reason = PulseKinds.reason(r);
            Object progress = PulseKinds.path(PulseKinds.status(r), "backfill", "progress");
            if (progress instanceof Number p) {
                // a new version computing its history: how far its history read is
                reason = reason + " " + Math.round(p.doubleValue() * 100) + "%";
            }
        }
        String name = kind.names().get(0) + "/" + r.getMetadata().getName();
        return all ? new String[] {r.getMetadata().getNamespace(), name, ready, reason, lag, fresh, PulseKinds.age(r)}
                : new String[] {name, ready, reason, lag, fresh, PulseKinds.age(r)};
    }
}
