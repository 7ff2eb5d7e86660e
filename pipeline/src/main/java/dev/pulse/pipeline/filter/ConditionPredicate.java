package dev.pulse.pipeline.filter;

import dev.pulse.api.plan.ConditionPlan;
import dev.pulse.api.v1alpha1.common.Operator;
import dev.pulse.api.v1alpha1.eventstream.FieldType;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.FieldRef;
import java.util.List;

/**
 * One {@code where} condition, with its values parsed once by the field's type. A missing field
 * behaves like a label selector ({@link Operator#matchesMissing()}).
 */
final class ConditionPredicate {
    private final FieldRef field;
    private final Operator op;
    private final boolean matchesMissing;
    private final FieldType type;
    private final String[] strings;
    private final long[] longs;
    private final double[] doubles;
    private final boolean[] booleans;

    ConditionPredicate(ConditionPlan plan, FieldRef field) {
        this.field = field;
        this.op = plan.operator();
        this.matchesMissing = op.matchesMissing();
        this.type = plan.type();
        List<String> values = plan.values() == null ? List.of() : plan.values();
        int n = values.size();
        strings = new String[n];
        longs = new long[n];
        doubles = new double[n];
        booleans = new boolean[n];
        for (int i = 0; i < n; i++) {
            String v = values.get(i);
            switch (type) {
                case STRING -> strings[i] = v;
                case LONG -> longs[i] = Long.parseLong(v.trim());
                case DOUBLE -> doubles[i] = Double.parseDouble(v.trim());
                case BOOLEAN -> booleans[i] = Boolean.parseBoolean(v.trim());
            }
        }
    }

    boolean test(Event e) {
        if (!field.isPresent(e)) {
            return matchesMissing;
        }
        return switch (op) {
            case Exists -> true;
            case DoesNotExist -> false;
            case NotIn, Ne -> !matchesAny(e);
            case In, Eq -> matchesAny(e);
            case Gt -> compareTo(e, 0) > 0;
            case Gte -> compareTo(e, 0) >= 0;
            case Lt -> compareTo(e, 0) < 0;
            case Lte -> compareTo(e, 0) <= 0;
        };
    }

    private boolean matchesAny(Event e) {
        for (int i = 0; i < strings.length; i++) {
            if (compareTo(e, i) == 0) {
                return true;
            }
        }
        return false;
    }

    /** The event's value compared with value i. */
    private int compareTo(Event e, int i) {
        return switch (type) {
            case STRING -> field.text(e).compareTo(strings[i]);
            case LONG -> Long.compare(field.longValue(e), longs[i]);
            case DOUBLE -> Double.compare(field.number(e), doubles[i]);
            case BOOLEAN -> Boolean.compare(field.booleanValue(e), booleans[i]);
        };
    }
}
