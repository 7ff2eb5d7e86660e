package dev.pulse.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of kube-controller-manager the mock API server lacks: when a Pulse resource is deleted,
 * the objects it owns (ownerReferences: KafkaTopics, ConfigMaps, FlinkDeployments) are deleted too,
 * so the stand-ins then delete the topic and stop the job as in a cluster.
 */
final class OwnerGarbageCollector implements AutoCloseable {
    private final KubernetesClient client;
    private final Progress progress;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private final WorkerThread worker = new WorkerThread("garbage-collector");

    OwnerGarbageCollector(KubernetesClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    OwnerGarbageCollector start() {
        for (PulseKinds.Kind kind : PulseKinds.PULSE) {
            informers.add(client.genericKubernetesResources(kind.context()).inAnyNamespace().inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(GenericKubernetesResource r) {
                }

                @Override
                public void onUpdate(GenericKubernetesResource o, GenericKubernetesResource r) {
                }

                @Override
                public void onDelete(GenericKubernetesResource r, boolean unknownFinalState) {
                    worker.submit(() -> collect(r));
                }
            }, 0));
        }
        return this;
    }

    private void collect(HasMetadata owner) {
        String uid = owner.getMetadata().getUid();
        String ns = owner.getMetadata().getNamespace();
        for (PulseKinds.Kind kind : List.of(PulseKinds.KAFKA_TOPIC, PulseKinds.FLINK_DEPLOYMENT)) {
            for (GenericKubernetesResource r : client.genericKubernetesResources(kind.context()).inNamespace(ns).list().getItems()) {
                deleteIfOwned(r, uid, owner);
            }
        }
        for (HasMetadata r : client.configMaps().inNamespace(ns).list().getItems()) {
            deleteIfOwned(r, uid, owner);
        }
    }

    private void deleteIfOwned(HasMetadata r, String uid, HasMetadata owner) {
        var refs = r.getMetadata().getOwnerReferences();
        if (refs != null && refs.stream().anyMatch(o -> uid.equals(o.getUid()))) {
            try {
                client.resource(r).delete();
                progress.step("gc", r.getKind() + " " + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()
                        + " deleted with its owner " + owner.getKind() + " " + owner.getMetadata().getName());
            } catch (KubernetesClientException e) {
                progress.error("gc", "deleting " + r.getKind() + " " + r.getMetadata().getName() + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        worker.close();
    }
}
