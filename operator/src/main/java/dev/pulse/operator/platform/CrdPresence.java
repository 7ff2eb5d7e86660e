package dev.pulse.operator.platform;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the resource types of the operators Pulse drives (Strimzi, the Flink Kubernetes
 * Operator) are installed. A type once seen is assumed to stay; a missing one is looked up again
 * after a while, so installing Strimzi or Flink later needs no restart. Shared by the workflow's
 * activation conditions (instantiated by the SDK, not by CDI) and the reconcilers' status.
 */
public final class CrdPresence {
    private static final CrdPresence SHARED = new CrdPresence(Duration.ofSeconds(30));

    private final Duration recheckAfter;
    private final Map<String, Long> absentSince = new ConcurrentHashMap<>();
    private final Map<String, Boolean> present = new ConcurrentHashMap<>();

    CrdPresence(Duration recheckAfter) {
        this.recheckAfter = recheckAfter;
    }

    public static CrdPresence shared() {
        return SHARED;
    }

    public boolean installed(Class<? extends HasMetadata> type, KubernetesClient client) {
        String crd = HasMetadata.getFullResourceName(type);
        if (present.containsKey(crd)) {
            return true;
        }
        Long checked = absentSince.get(crd);
        long now = System.nanoTime();
        if (checked != null && now - checked < recheckAfter.toNanos()) {
            return false;
        }
        boolean found = client.resources(CustomResourceDefinition.class).withName(crd).get() != null;
        if (found) {
            present.put(crd, true);
            absentSince.remove(crd);
        } else {
            absentSince.put(crd, now);
        }
        return found;
    }

    /** Forgets what was seen; for tests that install or remove CRDs. */
    public void forget() {
        present.clear();
        absentSince.clear();
    }
}
