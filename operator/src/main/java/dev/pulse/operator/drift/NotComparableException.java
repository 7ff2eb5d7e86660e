package dev.pulse.operator.drift;

/** The Metric's streaming day total cannot be compared with a batch day value (reason NotComparable). */
public class NotComparableException extends Exception {
    public NotComparableException(String message) {
        super(message);
    }
}
