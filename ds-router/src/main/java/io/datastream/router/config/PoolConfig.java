package io.datastream.router.config;

import io.datastream.config.Doc;

/**
 * {@code pool.*}: the memory pool batches are held in until Kafka acknowledges them, and the
 * credit windows granted out of it.
 */
public record PoolConfig(
        @Doc("memory pool, >= 16 MiB")
        Long capacityBytes,
        @Doc("smallest credit window; 0 = `limits.maxBatchBytes`; at most half the pool")
        Long minWindowBytes,
        @Doc("largest credit window (capped at the pool)")
        Long maxWindowBytes) {
    public static final long MIN_CAPACITY = 16L << 20;

    public PoolConfig {
        capacityBytes = capacityBytes == null ? 256L << 20 : capacityBytes;
        minWindowBytes = minWindowBytes == null ? 0L : minWindowBytes;
        maxWindowBytes = maxWindowBytes == null ? 32L << 20 : maxWindowBytes;
    }

    /** The minimum window with the default resolved against the batch limit. */
    public long effectiveMinWindow(LimitsConfig limits) {
        return minWindowBytes == 0 ? limits.maxBatchBytes() : minWindowBytes;
    }

    /** The maximum window, never above the capacity. */
    public long effectiveMaxWindow() {
        return Math.min(maxWindowBytes, capacityBytes);
    }

    public void validate(ConfigErrors e, LimitsConfig limits) {
        e.between(capacityBytes, MIN_CAPACITY, 1L << 40, "pool.capacityBytes");
        if (minWindowBytes != 0) {
            e.check(minWindowBytes >= limits.maxBatchBytes(), "pool.minWindowBytes",
                    "must be 0 (= limits.maxBatchBytes) or >= limits.maxBatchBytes (" + limits.maxBatchBytes() + "), was " + minWindowBytes);
        }
        e.check(effectiveMinWindow(limits) <= capacityBytes / 2, "pool.minWindowBytes",
                "the minimum window (" + effectiveMinWindow(limits) + ") must be at most half of pool.capacityBytes (" + capacityBytes + ")");
        e.check(maxWindowBytes >= effectiveMinWindow(limits), "pool.maxWindowBytes",
                "must be >= the minimum window (" + effectiveMinWindow(limits) + "), was " + maxWindowBytes);
    }
}
