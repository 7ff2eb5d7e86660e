package dev.pulse.pipeline.types;

import java.util.concurrent.Callable;

/**
 * Registers an operator's keyed state, refusing clearly a savepoint whose state of that name has
 * another layout (another type or serializer: Flink refuses to read it), rather than failing
 * with Flink's bare serializer message. docs/changes.md says which savepoints that concerns.
 */
public final class StateLayout {
    private StateLayout() {
    }

    public static <S> S register(String analysis, String state, Callable<S> registration) {
        try {
            return registration.call();
        } catch (Exception e) {
            throw new IllegalStateException("the savepoint holds the state '" + state + "' of " + analysis
                    + " in a layout this version cannot read (a funnel's or retention's state from before per-actor sorted"
                    + " buffering, docs/changes.md): start this analysis without that savepoint's state (a new version"
                    + " of it backfills) or restore with the release that wrote it; " + e.getMessage(), e);
        }
    }
}
