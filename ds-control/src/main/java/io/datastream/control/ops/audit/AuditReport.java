package io.datastream.control.ops.audit;

import java.util.List;

/**
 * The audit of a task over a range of minutes.
 *
 * @param task         task id
 * @param fromMinute   first minute (inclusive)
 * @param toMinute     last minute (exclusive)
 * @param finalBefore  minutes before this epoch minute are final
 * @param windows      one per minute with any report, oldest first
 * @param total        the sums; its status is lost if any window is, else duplicated if any is, else in flight if any is, else resent if any is, else ok
 * @param droppedByReason lines agents dropped, by reason, over the range
 * @param reporting    the tiers that sent any report in the range; the others are left out of the verdicts
 */
public record AuditReport(String task, long fromMinute, long toMinute, long finalBefore, List<AuditWindow> windows, AuditWindow total,
                          java.util.Map<String, Long> droppedByReason, java.util.Set<io.datastream.control.ops.store.Tier> reporting) {
    public AuditReport {
        windows = List.copyOf(windows);
        droppedByReason = java.util.Map.copyOf(droppedByReason);
        reporting = reporting.isEmpty() ? java.util.Set.of() : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(reporting));
    }
}
