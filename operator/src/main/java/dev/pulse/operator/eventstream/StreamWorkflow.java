package dev.pulse.operator.eventstream;

import dev.pulse.api.v1alpha1.eventstream.EventStream;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Hands the reconcile's {@link StreamState} (and its {@link ReconcileSteps}) to the dependents. */
final class StreamWorkflow {
    private StreamWorkflow() {
    }

    static void put(Context<EventStream> context, StreamState state, ReconcileSteps steps) {
        context.managedWorkflowAndDependentResourceContext().put(StreamState.class, state);
        context.managedWorkflowAndDependentResourceContext().put(ReconcileSteps.class, steps);
    }

    /** A dependent has written its objects: the step is done ({@link ReconcileSteps}). */
    static void passed(Context<EventStream> context, EventStream stream, ReconcileSteps.Step step) {
        context.managedWorkflowAndDependentResourceContext().get(ReconcileSteps.class, ReconcileSteps.class)
                .ifPresent(steps -> steps.passed(stream, step));
    }

    static StreamState state(Context<EventStream> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(StreamState.class, StreamState.class);
    }
}
