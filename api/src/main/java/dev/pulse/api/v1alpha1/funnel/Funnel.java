package dev.pulse.api.v1alpha1.funnel;

import dev.pulse.api.v1alpha1.common.AnalysisStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Ordered steps over one EventStream: how many actors get from the first step to each next one. */
@Group("pulse.dev")
@Version("v1alpha1")
@ShortNames("fn")
@Categories("pulse")
@AdditionalPrinterColumn(name = "Stream", jsonPath = ".spec.stream", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Order", jsonPath = ".spec.order", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Lag(s)", jsonPath = ".status.lag.seconds", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Freshness(s)", jsonPath = ".status.freshness.secondsBehind", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Deletion", jsonPath = ".spec.deletionPolicy", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Funnel extends CustomResource<FunnelSpec, AnalysisStatus> implements Namespaced {
    @Override
    protected FunnelSpec initSpec() {
        return new FunnelSpec();
    }

    @Override
    protected AnalysisStatus initStatus() {
        return new AnalysisStatus();
    }
}
