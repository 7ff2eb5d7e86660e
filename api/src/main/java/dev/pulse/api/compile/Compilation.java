package dev.pulse.api.compile;

import dev.pulse.api.plan.PipelinePlan;
import java.util.List;

/**
 * What the compiler made of a set of resources.
 *
 * @param plans one plan per pipeline (a stream's shared one, plus one per dedicated analysis), sorted by name
 * @param problems every problem found; an analysis with problems is left out of the plans
 *     (or kept at its previous version when one was given)
 */
public record Compilation(List<PipelinePlan> plans, List<Problem> problems) {
    public boolean isValid() {
        return problems.isEmpty();
    }

    /** Problems of one resource. */
    public List<Problem> problemsOf(String kind, String namespace, String name) {
        String resource = kind + "/" + name;
        return problems.stream().filter(p -> p.resource().equals(resource)
                && (namespace == null || namespace.equals(p.namespace()))).toList();
    }
}
