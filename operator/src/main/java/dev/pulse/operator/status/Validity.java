package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.common.Reasons;

/** Whether a definition compiled, and if not, why not. */
public enum Validity {
    VALID(Reasons.VALID),
    INVALID_SPEC(Reasons.INVALID_SPEC),
    STREAM_NOT_FOUND(Reasons.STREAM_NOT_FOUND),
    STREAM_INVALID(Reasons.STREAM_INVALID);

    private final String reason;

    Validity(String reason) {
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
