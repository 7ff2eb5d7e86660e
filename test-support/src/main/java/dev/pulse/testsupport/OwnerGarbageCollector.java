package dev.pulse.testsupport;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of kube-controller-manager the mock API server lacks: when an owner (a Pulse resource)
 * is gone (deleted, its finalizers done), the objects that still name it in their ownerReferences
 * (KafkaTopics, FlinkDeployments, ConfigMaps) are deleted too, so the other stand-ins then delete the
 * topic and stop the job as in a cluster. As Kubernetes' garbage collector it reads nothing but
 * owner references: an object whose owner reference was removed (a released KafkaTopic) stays, and
 * an object with another owner still alive stays too.
 */
public final class OwnerGarbageCollector implements AutoCloseable {
    private final KubernetesClient client;
    private final StandInReport progress;
    private final List<ResourceDefinitionContext> owners;
    private final List<ResourceDefinitionContext> dependents;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private final WorkerThread worker = new WorkerThread("garbage-collector");

    /**
     * @param owners the kinds whose deletion is watched
     * @param dependents the custom kinds that may be owned (ConfigMaps always are looked at)
     */
    public OwnerGarbageCollector(KubernetesClient client, List<ResourceDefinitionContext> owners, List<ResourceDefinitionContext> dependents,
            StandInReport progress) {
        this.client = client;
        this.owners = List.copyOf(owners);
        this.dependents = List.copyOf(dependents);
        this.progress = progress;
    }

    public OwnerGarbageCollector start() {
        for (ResourceDefinitionContext kind : owners) {
            informers.add(client.genericKubernetesResources(kind).inAnyNamespace().inform(new ResourceEventHandler<>() {
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
        for (ResourceDefinitionContext kind : dependents) {
            for (GenericKubernetesResource r : client.genericKubernetesResources(kind).inNamespace(ns).list().getItems()) {
                deleteIfOwned(r, uid, owner);
            }
        }
        for (HasMetadata r : client.configMaps().inNamespace(ns).list().getItems()) {
            deleteIfOwned(r, uid, owner);
        }
    }

    private void deleteIfOwned(HasMetadata r, String uid, HasMetadata owner) {
        var refs = r.getMetadata().getOwnerReferences();
        if (refs != null && refs.stream().anyMatch(o -> uid.equals(o.getUid()))
                && refs.stream().noneMatch(o -> !uid.equals(o.getUid()) && alive(o, r.getMetadata().getNamespace()))) {
            try {
                client.resource(r).delete();
                progress.step("gc", r.getKind() + " " + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()
                        + " deleted with its owner " + owner.getKind() + " " + owner.getMetadata().getName());
            } catch (KubernetesClientException e) {
                progress.error("gc", "deleting " + r.getKind() + " " + r.getMetadata().getName() + ": " + e.getMessage());
            }
        }
    }

    /** Whether another owner the object names still exists (then Kubernetes keeps the object). */
    private boolean alive(OwnerReference ref, String namespace) {
        try {
            GenericKubernetesResource other = client.genericKubernetesResources(ref.getApiVersion(), ref.getKind()).inNamespace(namespace)
                    .withName(ref.getName()).get();
            return other != null && ref.getUid().equals(other.getMetadata().getUid());
        } catch (KubernetesClientException e) {
            return true;
        }
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        worker.close();
    }
}
