package dev.pulse.operator.analysis;

import dev.pulse.api.v1alpha1.funnel.Funnel;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;

/** Funnel → status; its steps run in its stream's pipeline. */
@ControllerConfiguration(name = "funnel")
public class FunnelReconciler extends AnalysisReconciler<Funnel> {
}
