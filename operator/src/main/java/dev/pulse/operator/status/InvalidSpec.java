package dev.pulse.operator.status;

import dev.pulse.api.compile.Problem;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.PulseStatus;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** How an invalid definition is told: the message, and when it deserves a (new) Warning Event. */
public final class InvalidSpec {
    private InvalidSpec() {
    }

    /** The compiler's problems, one per line: field path, then what is wrong and what would be valid. */
    public static String describe(List<Problem> problems) {
        return problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("\n"));
    }

    /** Whether the status does not already report this problem: an Event only when the problem is news. */
    public static boolean isNews(PulseStatus previous, String message) {
        return previous == null || previous.condition(Condition.VALID)
                .map(c -> !Conditions.FALSE.equals(c.getStatus()) || !Objects.equals(c.getMessage(), message))
                .orElse(true);
    }
}
