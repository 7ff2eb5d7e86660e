package dev.pulse.pipeline.filter;

import dev.pulse.api.plan.ConditionPlan;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.FieldRef;
import java.util.List;

/**
 * One {@code where} condition, with its values parsed once by the field's type. A missing field
 * behaves like a label selector: In, Eq, Gt, Gte, Lt, Lte and Exists are false; NotIn, Ne and
 * DoesNotExist are true.
 */
final class ConditionPredicate {
    private enum Op { IN, NOT_IN, EXISTS, DOES_NOT_EXIST, EQ, NE, GT, GTE, LT, LTE }

    private enum Type { STRING, LONG, DOUBLE, BOOLEAN }

    private final FieldRef field;
    private final Op op;
    private final Type type;
    private final String[] strings;
    private final long[] longs;
    private final double[] doubles;
    private final boolean[] booleans;

    ConditionPredicate(ConditionPlan plan, FieldRef field) {
        this.field = field;
        this.op = switch (plan.operator()) {
            case "In" -> Op.IN;
            case "NotIn" -> Op.NOT_IN;
            case "Exists" -> Op.EXISTS;
            case "DoesNotExist" -> Op.DOES_NOT_EXIST;
            case "Eq" -> Op.EQ;
            case "Ne" -> Op.NE;
            case "Gt" -> Op.GT;
            case "Gte" -> Op.GTE;
            case "Lt" -> Op.LT;
            case "Lte" -> Op.LTE;
            default -> throw new IllegalArgumentException("unknown operator '" + plan.operator() + "'");
        };
        this.type = switch (plan.type()) {
            case "long" -> Type.LONG;
            case "double" -> Type.DOUBLE;
            case "boolean" -> Type.BOOLEAN;
            default -> Type.STRING;
        };
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
        boolean present = field.isPresent(e);
        switch (op) {
            case EXISTS:
                return present;
            case DOES_NOT_EXIST:
                return !present;
            case NOT_IN:
            case NE:
                return !present || !matchesAny(e);
            case IN:
            case EQ:
                return present && matchesAny(e);
            default:
                return present && ordered(compare(e));
        }
    }

    private boolean matchesAny(Event e) {
        for (int i = 0; i < strings.length; i++) {
            if (compareTo(e, i) == 0) {
                return true;
            }
        }
        return false;
    }

    private int compare(Event e) {
        return compareTo(e, 0);
    }

    private boolean ordered(int c) {
        return switch (op) {
            case GT -> c > 0;
            case GTE -> c >= 0;
            case LT -> c < 0;
            case LTE -> c <= 0;
            default -> throw new IllegalStateException();
        };
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
