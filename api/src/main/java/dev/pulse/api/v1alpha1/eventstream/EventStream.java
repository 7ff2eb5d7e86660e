package dev.pulse.api.v1alpha1.eventstream;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Kafka topic of product events and the pipeline that runs every analysis over it. */
@Group("pulse.dev")
@Version("v1alpha1")
@ShortNames("evs")
@Categories("pulse")
@AdditionalPrinterColumn(name = "Topic", jsonPath = ".spec.kafka.topic", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Lag(records)", jsonPath = ".status.lag.records", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Malformed", jsonPath = ".status.input.malformedTotal", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Deletion", jsonPath = ".spec.deletionPolicy", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class EventStream extends CustomResource<EventStreamSpec, EventStreamStatus> implements Namespaced {
    @Override
    protected EventStreamSpec initSpec() {
        return new EventStreamSpec();
    }

    @Override
    protected EventStreamStatus initStatus() {
        return new EventStreamStatus();
    }
}
