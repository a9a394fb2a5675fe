package io.datastream.control.ops.audit;

/**
 * One window of the audit (a minute, or the total of a range).
 *
 * @param minute            epoch minute the window starts at (-1 for a total)
 * @param read              lines agents read (their counted drops excluded)
 * @param dropped           lines agents dropped and counted (over-long, skipped files...): known, not lost
 * @param acked             lines acknowledged to agents by routers
 * @param inKafka           lines routers wrote to Kafka
 * @param committed         lines the sink committed
 * @param duplicatesDropped re-sent lines the sink recognised and dropped (shows at-least-once at work)
 * @param status            the verdict
 * @param missing           lines read but absent from the tier with the fewest (0 unless lost)
 * @param extra             lines more than read in the tier with the most (0 unless duplicated or resent)
 */
public record AuditWindow(long minute, long read, long dropped, long acked, long inKafka, long committed, long duplicatesDropped,
                          AuditStatus status, long missing, long extra) {

    /**
     * Judges counts: {@code finalWindow} false gives in flight whatever the counts. A tier that sent
     * no report in the whole range ({@code routers}, {@code sink} false) is left out of the verdict
     * rather than read as zero lines.
     */
    static AuditWindow judge(long minute, long read, long dropped, long acked, long inKafka, long committed, long dups,
                             boolean finalWindow, boolean agents, boolean routers, boolean sink) {
        long fewest = Math.min(acked, Math.min(routers ? inKafka : Long.MAX_VALUE, sink ? committed : Long.MAX_VALUE));
        long most = Math.max(acked, Math.max(routers ? inKafka : 0, sink ? committed : 0));
        long missing = Math.max(0, read - fewest);
        long extra = Math.max(0, most - read);
        AuditStatus s;
        if (!finalWindow) {
            s = AuditStatus.IN_FLIGHT;
        } else if (!agents) {
            s = AuditStatus.NO_AGENT_REPORTS;
        } else if (missing > 0) {
            s = AuditStatus.LOST;
        } else if (extra > 0 && resent(read, acked, inKafka, committed, dups, routers, sink)) {
            s = AuditStatus.RESENT;
        } else if (extra > 0) {
            s = AuditStatus.DUPLICATED;
        } else {
            s = AuditStatus.OK;
        }
        return new AuditWindow(minute, read, dropped, acked, inKafka, committed, dups, s,
                s == AuditStatus.LOST ? missing : 0, s == AuditStatus.DUPLICATED || s == AuditStatus.RESENT ? extra : 0);
    }

    /**
     * Whether the only lines above {@code read} are Kafka's re-sent copies that the sink dropped:
     * acknowledged and committed each equal read, and Kafka's surplus equals the sink's duplicates.
     * Needs both routers and the sink to have reported (otherwise nothing explains the surplus).
     */
    private static boolean resent(long read, long acked, long inKafka, long committed, long dups, boolean routers, boolean sink) {
        return routers && sink && acked == read && committed == read && inKafka - read == dups;
    }
}
