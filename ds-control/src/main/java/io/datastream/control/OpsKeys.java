package io.datastream.control;

import java.util.List;

/** Validation of the operations-plane keys ({@code store.*}, {@code alerts.*}, {@code audit.*}), each error with its key. */
final class OpsKeys {
    private OpsKeys() {
    }

    static void check(ControlConfig.Store store, ControlConfig.Alerts alerts, ControlConfig.Audit audit, List<String> p) {
        if (store.path().isBlank()) {
            p.add("store.path: must not be empty");
        }
        range(p, "store.retentionMinuteDays", store.retentionMinuteDays(), 1, 31);
        range(p, "store.retentionHourDays", store.retentionHourDays(), Math.max(1, store.retentionMinuteDays()), 3650);
        range(p, "store.maxBytes", store.maxBytes(), 16L << 20, Long.MAX_VALUE);
        range(p, "store.queueCapacity", store.queueCapacity(), 16, 1_000_000);
        range(p, "alerts.evaluationIntervalMs", alerts.evaluationIntervalMs(), 100, 3_600_000);
        range(p, "alerts.webhookTimeoutMs", alerts.webhookTimeoutMs(), 100, 60_000);
        range(p, "alerts.webhookMaxAttempts", alerts.webhookMaxAttempts(), 1, 20);
        range(p, "alerts.webhookBackoffMs", alerts.webhookBackoffMs(), 1, 600_000);
        range(p, "alerts.webhookQueueCapacity", alerts.webhookQueueCapacity(), 1, 100_000);
        range(p, "audit.finalityMs", audit.finalityMs(), 0, 86_400_000);
    }

    private static void range(List<String> p, String key, long v, long min, long max) {
        if (v < min || v > max) {
            p.add(key + ": must be in [" + min + ", " + max + "], was " + v);
        }
    }
}
