package dev.pulse.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** One line per stream and analysis, from each resource's own status (what kubectl would show). */
final class StatusBoard {
    private static final String NAMESPACE = LocalStack.NAMESPACE;

    private final KubernetesClient client;

    StatusBoard(KubernetesClient client) {
        this.client = client;
    }

    /** Every 5 s until {@code stopped}: the lines, {@code trafficNote} on the first. */
    void watch(Progress progress, Supplier<String> trafficNote, BooleanSupplier stopped) {
        while (!stopped.getAsBoolean()) {
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (stopped.getAsBoolean()) {
                return;
            }
            try {
                for (String l : lines(trafficNote.get())) {
                    progress.line(l);
                }
            } catch (RuntimeException e) {
                if (!stopped.getAsBoolean()) {
                    progress.error("status", e.getMessage());
                }
            }
        }
    }

    List<String> lines(String trafficNote) {
        List<String> out = new ArrayList<>();
        out.add("── " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "  namespace " + NAMESPACE
                + (trafficNote == null ? "" : "  ·  " + trafficNote));
        for (PulseKinds.Kind kind : PulseKinds.PULSE) {
            List<GenericKubernetesResource> items = new ArrayList<>(
                    client.genericKubernetesResources(kind.context()).inNamespace(NAMESPACE).list().getItems());
            items.sort(Comparator.comparing(r -> r.getMetadata().getName()));
            for (GenericKubernetesResource r : items) {
                out.add(line(kind, r));
            }
        }
        if (out.size() == 1) {
            out.add("   (no Pulse resources yet)");
        }
        return out;
    }

    static String line(PulseKinds.Kind kind, GenericKubernetesResource r) {
        return String.format("   %-36s Ready=%-7s %-22s lag %-14s freshness %s",
                kind.names().get(0) + "/" + r.getMetadata().getName(), PulseKinds.ready(r), PulseKinds.reason(r),
                PulseKinds.lag(r), PulseKinds.freshness(r));
    }
}
