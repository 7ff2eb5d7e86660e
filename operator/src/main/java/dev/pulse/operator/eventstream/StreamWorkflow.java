package dev.pulse.operator.eventstream;

import dev.pulse.api.v1alpha1.eventstream.EventStream;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Hands the reconcile's {@link StreamState} to the dependents. */
final class StreamWorkflow {
    private StreamWorkflow() {
    }

    static void put(Context<EventStream> context, StreamState state) {
        context.managedWorkflowAndDependentResourceContext().put(StreamState.class, state);
    }

    static StreamState state(Context<EventStream> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(StreamState.class, StreamState.class);
    }
}
