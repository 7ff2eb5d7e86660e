package dev.pulse.operator.analysis;

import dev.pulse.api.v1alpha1.retention.Retention;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;

/** Retention → status; its cohorts run in its stream's pipeline. */
@ControllerConfiguration(name = "retention")
public class RetentionReconciler extends AnalysisReconciler<Retention> {
}
