package dev.pulse.serving;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** The serving API's settings, {@code pulse.serving.*}. */
@ConfigMapping(prefix = "pulse.serving")
public interface ServingConfig {
    /** How long a read of the catalog is reused before it is read again. */
    @WithDefault("5s")
    Duration catalogRefresh();

    /**
     * The most memory the answer cache holds, in bytes of cached JSON (least recently used answers
     * are evicted first).
     */
    @WithDefault("67108864")
    long cacheBytes();

    /**
     * How long a write transaction may run before it commits and still invalidate the cached
     * answers over its windows at once: a row's {@code updated_at} is its transaction's start, and a
     * cached answer is checked for rows written since its own read began, less this.
     */
    @WithDefault("10s")
    Duration cacheWriteSlack();

    /** The most points (rows) one answer may hold; also the default and largest {@code limit}. */
    @WithDefault("10000")
    int maxPoints();

    /** The most time buckets a query may span: (to - from) / grain. */
    @WithDefault("10000")
    int maxBuckets();

    /** The range a query takes when {@code from} is not given: {@code to} minus this. */
    @WithDefault("1d")
    Duration defaultRange();

    /** PostgreSQL's {@code statement_timeout} on every connection of the API: a query running longer is cancelled (503). */
    @WithDefault("10s")
    Duration statementTimeout();

    /** Who may read what. */
    Auth auth();

    /** {@code pulse.serving.auth.*}. */
    interface Auth {
        /**
         * {@code kubernetes}: every API request carries a Kubernetes bearer token, checked with a
         * TokenReview, and reads a namespace only when a SubjectAccessReview allows {@code get} on the
         * analysis's resource there. {@code none}: no checks (a trusted network only).
         */
        @WithName("mode")
        @WithDefault("kubernetes")
        AuthMode mode();

        /** How long a review's answer is reused; at most 60 s are used whatever is set. */
        @WithDefault("60s")
        Duration cacheTtl();

        /** The most review answers kept (each cache: tokens, and access decisions). */
        @WithDefault("10000")
        int cacheEntries();
    }

    /** {@code pulse.serving.auth.mode}. */
    enum AuthMode {
        kubernetes, none
    }
}
