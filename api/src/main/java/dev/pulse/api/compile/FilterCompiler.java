package dev.pulse.api.compile;

import dev.pulse.api.plan.ConditionPlan;
import dev.pulse.api.plan.FilterPlan;
import dev.pulse.api.v1alpha1.common.EventFilter;
import dev.pulse.api.v1alpha1.common.Operator;
import dev.pulse.api.v1alpha1.common.WhereCondition;
import dev.pulse.api.v1alpha1.eventstream.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Checks a filter against a stream's schema and compiles it into a {@link FilterPlan}. */
final class FilterCompiler {
    private final StreamSchema schema;
    private final Problems problems;
    private final Set<String> usedFields;

    FilterCompiler(StreamSchema schema, Problems problems, Set<String> usedFields) {
        this.schema = schema;
        this.problems = problems;
        this.usedFields = usedFields;
    }

    FilterPlan compile(EventFilter filter, String path) {
        if (filter == null) {
            return FilterPlan.ALL;
        }
        List<String> events = new ArrayList<>();
        if (filter.getEvents() != null) {
            for (int i = 0; i < filter.getEvents().size(); i++) {
                String e = filter.getEvents().get(i);
                if (e == null || !Names.EVENT_TYPE.matcher(e).matches()) {
                    problems.add(path + "events[" + i + "]", "'" + e + "' is not a valid event type: use letters, digits, '_', '.', ':' and single '-'");
                } else {
                    events.add(e);
                }
            }
        }
        List<ConditionPlan> where = new ArrayList<>();
        if (filter.getWhere() != null) {
            for (int i = 0; i < filter.getWhere().size(); i++) {
                ConditionPlan c = condition(filter.getWhere().get(i), path + "where[" + i + "]");
                if (c != null) {
                    where.add(c);
                }
            }
        }
        String expression = filter.getExpression();
        if (expression != null) {
            if (expression.isBlank()) {
                problems.add(path + "expression", "must not be empty: leave it out to pass every event");
                expression = null;
            } else {
                String err = CelChecker.check(expression, schema.fields()).orElse(null);
                if (err != null) {
                    problems.add(path + "expression", "not a valid boolean CEL expression over the stream's fields ("
                            + schema.describe() + "): " + err);
                } else {
                    usedFields.addAll(schema.fields().keySet().stream().filter(expression::contains).toList());
                }
            }
        }
        return new FilterPlan(List.copyOf(new TreeSet<>(events)), where, expression);
    }

    private ConditionPlan condition(WhereCondition w, String path) {
        if (w == null) {
            problems.add(path, "must not be empty");
            return null;
        }
        FieldType type = field(w.getField(), path + ".field");
        Operator op = w.getOperator();
        if (op == null) {
            problems.add(path + ".operator", "required: one of In, NotIn, Exists, DoesNotExist, Eq, Ne, Gt, Gte, Lt, Lte");
            return null;
        }
        List<String> values = new ArrayList<>();
        if (op.takesValues()) {
            if (w.getValues() == null || w.getValues().isEmpty()) {
                problems.add(path + ".values", op + " needs a non-empty list of values");
            } else {
                values.addAll(w.getValues());
            }
            if (w.getValue() != null) {
                problems.add(path + ".value", op + " takes 'values' (a list), not 'value'");
            }
        } else if (op.takesValue()) {
            if (w.getValue() == null) {
                problems.add(path + ".value", op + " needs a 'value'");
            } else {
                values.add(w.getValue());
            }
            if (w.getValues() != null) {
                problems.add(path + ".values", op + " takes 'value', not 'values'");
            }
        } else if (w.getValue() != null || w.getValues() != null) {
            problems.add(path + ".value", op + " takes no value");
        }
        if (type == null) {
            return null;
        }
        if (op.isOrdering() && type == FieldType.BOOLEAN) {
            problems.add(path + ".operator", op + " cannot compare the boolean field '" + w.getField() + "': use Eq, Ne, In, NotIn, Exists or DoesNotExist");
        }
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            String vpath = path + (op.takesValues() ? ".values[" + i + "]" : ".value");
            if (!Names.isSafeValue(v)) {
                problems.add(vpath, "'" + v + "' contains a quote, backslash, ';', '--' or a control character, which values may not hold");
            } else if (!parses(v, type)) {
                problems.add(vpath, "'" + v + "' is not a valid " + type.yamlName() + " for field '" + w.getField() + "'"
                        + (type == FieldType.BOOLEAN ? " (use true or false)" : ""));
            }
        }
        return new ConditionPlan(w.getField(), type, op, values);
    }

    /** The type of a named field, recording a problem when the stream has no such field. */
    FieldType field(String name, String path) {
        if (name == null) {
            problems.add(path, "required: a field of the stream (" + schema.describe() + ")");
            return null;
        }
        FieldType type = schema.type(name).orElse(null);
        if (type == null) {
            problems.add(path, "the stream has no field '" + name + "'; its fields are: " + schema.describe());
            return null;
        }
        usedFields.add(name);
        return type;
    }

    static boolean parses(String value, FieldType type) {
        try {
            switch (type) {
                case LONG -> Long.parseLong(value.trim());
                case DOUBLE -> {
                    double d = Double.parseDouble(value.trim());
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        return false;
                    }
                }
                case BOOLEAN -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        return false;
                    }
                }
                default -> {
                }
            }
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
