package dev.pulse.api.v1alpha1.retention;

import dev.pulse.api.v1alpha1.common.AnalysisStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Cohorts of actors by their first cohort event, and how many return in each later period. */
@Group("pulse.dev")
@Version("v1alpha1")
@ShortNames("rt")
@Categories("pulse")
@AdditionalPrinterColumn(name = "Stream", jsonPath = ".spec.stream", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Period", jsonPath = ".spec.period", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Lag(s)", jsonPath = ".status.lag.seconds", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Freshness(s)", jsonPath = ".status.freshness.secondsBehind", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Deletion", jsonPath = ".spec.deletionPolicy", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Retention extends CustomResource<RetentionSpec, AnalysisStatus> implements Namespaced {
    @Override
    protected RetentionSpec initSpec() {
        return new RetentionSpec();
    }

    @Override
    protected AnalysisStatus initStatus() {
        return new AnalysisStatus();
    }
}
