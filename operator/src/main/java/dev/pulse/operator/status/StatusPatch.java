package dev.pulse.operator.status;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;

/** Status is patched only when it changed: an unchanged status costs no write and wakes no watcher. */
public final class StatusPatch {
    private StatusPatch() {
    }

    /** Patches {@code next} as the resource's status when it differs from the current one, else no update. */
    public static <S, R extends CustomResource<?, S>> UpdateControl<R> ifChanged(R resource, S next) {
        if (Objects.equals(next, resource.getStatus())) {
            return UpdateControl.noUpdate();
        }
        resource.setStatus(next);
        return UpdateControl.patchStatus(resource);
    }
}
