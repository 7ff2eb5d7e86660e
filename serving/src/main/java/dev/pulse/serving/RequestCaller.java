package dev.pulse.serving;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, set by {@link Authentication} before any resource method runs. */
@RequestScoped
public class RequestCaller {
    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    /** The caller; a request that was not authenticated never gets this far. */
    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("no caller: the request was not authenticated");
        }
        return caller;
    }
}
