package dev.pulse.serving;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The serving API's settings, {@code pulse.serving.*}. */
@ConfigMapping(prefix = "pulse.serving")
public interface ServingConfig {
    /** How long a read of the catalog is reused before it is read again. */
    @WithDefault("5s")
    Duration catalogRefresh();

    /** Answers kept in the cache (least recently used are evicted). */
    @WithDefault("2000")
    int cacheEntries();

    /** The most points (rows) one answer may hold; also the default and largest {@code limit}. */
    @WithDefault("10000")
    int maxPoints();

    /** The most time buckets a query may span: (to - from) / grain. */
    @WithDefault("10000")
    int maxBuckets();

    /** The range a query takes when {@code from} is not given: {@code to} minus this. */
    @WithDefault("1d")
    Duration defaultRange();
}
