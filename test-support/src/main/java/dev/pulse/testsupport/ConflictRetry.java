package dev.pulse.testsupport;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An edit as {@code kubectl edit} makes it (and any write that reads what it changes): when a controller's status write got there first (409
 * Conflict), read the resource again and apply the change again, after a pause that grows with
 * each attempt (a controller writing status several times in a row must not win every race).
 */
public final class ConflictRetry {
    private static final int ATTEMPTS = 30;
    private static final long MAX_PAUSE_MS = 500;

    private ConflictRetry() {
    }

    public static <T extends HasMetadata> T edit(Resource<T> resource, Consumer<T> change) {
        return retry(() -> resource.edit(r -> {
            change.accept(r);
            return r;
        }));
    }

    /**
     * Runs {@code attempt} (which reads what it changes itself) again while it loses a conflict
     * (409), up to 30 times with the growing pause; its other failures, and the last conflict, are thrown.
     */
    public static <T> T retry(Supplier<T> attempt) {
        for (int n = 1; ; n++) {
            try {
                return attempt.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || n == ATTEMPTS) {
                    throw e;
                }
                pause(Math.min(MAX_PAUSE_MS, 20L * n));
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
