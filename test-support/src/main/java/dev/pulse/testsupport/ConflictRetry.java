package dev.pulse.testsupport;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.function.Consumer;

/**
 * An edit as {@code kubectl edit} makes it: when a controller's status write got there first (409
 * Conflict), read the resource again and apply the change again, after a pause that grows with
 * each attempt (a controller writing status several times in a row must not win every race).
 */
public final class ConflictRetry {
    private static final int ATTEMPTS = 30;
    private static final long MAX_PAUSE_MS = 500;

    private ConflictRetry() {
    }

    public static <T extends HasMetadata> T edit(Resource<T> resource, Consumer<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return resource.edit(r -> {
                    change.accept(r);
                    return r;
                });
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
                pause(Math.min(MAX_PAUSE_MS, 20L * attempt));
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying an edit", e);
        }
    }
}
