package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.PulseStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Building and merging conditions the Kubernetes way. */
public final class Conditions {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private Conditions() {
    }

    public static Condition of(String type, String status, String reason, String message) {
        return new Condition(type, status, reason, message, null, null);
    }

    public static boolean isTrue(Condition c) {
        return c != null && TRUE.equals(c.getStatus());
    }

    /** Whether the status already says {@code type=False} for this reason with this message (so telling it again is no news). */
    public static boolean saysFalse(PulseStatus status, String type, String reason, String message) {
        return status != null && status.condition(type).map(c -> FALSE.equals(c.getStatus())
                && Objects.equals(c.getReason(), reason) && Objects.equals(c.getMessage(), message)).orElse(false);
    }

    /**
     * The desired conditions stamped with the generation, each keeping its previous
     * {@code lastTransitionTime} while its status is unchanged; previous conditions of other
     * types (set by probes the caller does not know about) are kept as they were, after them.
     */
    public static List<Condition> merge(List<Condition> previous, List<Condition> desired, long generation, Instant now) {
        List<Condition> before = previous == null ? List.of() : previous;
        String nowText = now.truncatedTo(ChronoUnit.SECONDS).toString();
        List<Condition> out = new ArrayList<>();
        for (Condition d : desired) {
            Condition old = before.stream().filter(c -> d.getType().equals(c.getType())).findFirst().orElse(null);
            String since = old != null && Objects.equals(old.getStatus(), d.getStatus()) && old.getLastTransitionTime() != null
                    ? old.getLastTransitionTime() : nowText;
            out.add(new Condition(d.getType(), d.getStatus(), d.getReason(), d.getMessage(), since, generation));
        }
        Set<String> types = desired.stream().map(Condition::getType).collect(Collectors.toSet());
        before.stream().filter(c -> !types.contains(c.getType())).forEach(out::add);
        return out;
    }
}
