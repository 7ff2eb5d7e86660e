package dev.pulse.api.v1alpha1.common;

/** Operators of a {@code where} condition; they behave like a label selector's matchExpressions. */
public enum Operator {
    In, NotIn, Exists, DoesNotExist, Eq, Ne, Gt, Gte, Lt, Lte;

    /** Whether the operator takes a list in {@code values}. */
    public boolean takesValues() {
        return this == In || this == NotIn;
    }

    /** Whether the operator takes a single {@code value}. */
    public boolean takesValue() {
        return this != In && this != NotIn && this != Exists && this != DoesNotExist;
    }

    /** Whether the operator only makes sense on an ordered type (long, double, string). */
    public boolean isOrdering() {
        return this == Gt || this == Gte || this == Lt || this == Lte;
    }

    /** The result of the condition on an event whose field is missing or JSON null. */
    public boolean matchesMissing() {
        return this == NotIn || this == Ne || this == DoesNotExist;
    }
}
