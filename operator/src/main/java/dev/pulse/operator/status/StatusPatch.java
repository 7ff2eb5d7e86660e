package dev.pulse.operator.status;

import io.fabric8.kubernetes.client.CustomResource;
import dev.pulse.api.v1alpha1.common.PulseStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;

/**
 * Status is patched only when it changed: an unchanged status costs no write and wakes no watcher.
 *
 * <p>The first status a resource gets is written as a JSON merge patch of the whole stanza; later
 * ones as JOSDK's JSON patch of what changed. A JSON patch of fields under {@code /status} needs the
 * stanza to be an object on the server, and before the first write it is absent, or null once a
 * metadata patch (JOSDK adding its finalizer) went through the in-memory API server of the tests.
 */
public final class StatusPatch {
    private StatusPatch() {
    }

    /** Patches {@code next} as the resource's status when it differs from the current one, else no update. */
    public static <S extends PulseStatus, R extends CustomResource<?, S>> UpdateControl<R> ifChanged(R resource, S next, Context<R> context) {
        if (Objects.equals(next, resource.getStatus()) || writtenFirst(resource, next, context)) {
            return UpdateControl.noUpdate();
        }
        return UpdateControl.patchStatus(resource);
    }

    /** As {@link #ifChanged}, for a failed reconcile: patches {@code next} when it changed, and lets JOSDK retry. */
    public static <S extends PulseStatus, R extends CustomResource<?, S>> ErrorStatusUpdateControl<R> failed(R resource, S next,
            Context<R> context) {
        if (Objects.equals(next, resource.getStatus()) || writtenFirst(resource, next, context)) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        return ErrorStatusUpdateControl.patchStatus(resource);
    }

    /**
     * Sets {@code next} on the resource; when the resource never had a status (no observedGeneration),
     * writes it now as a merge patch of the whole stanza and says so.
     */
    private static <S extends PulseStatus, R extends CustomResource<?, S>> boolean writtenFirst(R resource, S next, Context<R> context) {
        boolean first = resource.getStatus() == null || resource.getStatus().getObservedGeneration() == null;
        resource.setStatus(next);
        if (first) {
            PrimaryUpdateAndCacheUtils.mergePatchStatusAndCacheResource(resource, context, r -> {
                r.setStatus(next);
                return r;
            });
        }
        return first;
    }
}
