package io.datastream.agent.tail;

/**
 * The tailer's view of one task (counters are totals since the agent started).
 *
 * @param state              "running", "parked" or "refused" (outside paths.allow)
 * @param files              files followed (fast + slow + inactive + rotated + waiting + skipped)
 * @param fast               files in the fast class
 * @param slow               files in the slow class
 * @param inactive           files closed for inactivity
 * @param rotated            files no longer at a matching path, being drained
 * @param waiting            files not yet fingerprinted, or copies of a stream read elsewhere
 * @param skipped            compressed files not read (compressedFiles: skip)
 * @param linesRead          records cut from the task's files
 * @param bytesRead          source bytes consumed (content and gaps)
 * @param droppedLines       records dropped (truncated over-long records), all reasons
 * @param droppedBytes       bytes never sent: truncated parts, and data lost to truncation or deletion before it was read, compressed files skipped; all reasons
 * @param splitRecords       extra records made by splitting over-long lines
 * @param errors             file errors (unreadable, vanished), rejected batches and failed compressions (read again)
 * @param lastError          the latest error, or null
 * @param unreadBytes        bytes in followed files not read yet
 * @param oldestUnreadMillis when the oldest unread data was noticed (0 = none)
 * @param overLimit          the task's globs match more files than discovery.maxFilesPerTask
 * @param droppedBytesByReason droppedBytes by {@link io.datastream.registry.member.DropReason} name (reasons with drops only)
 * @param droppedLinesByReason droppedLines by reason name (reasons with drops only)
 */
public record TaskReport(String state, int files, int fast, int slow, int inactive, int rotated, int waiting, int skipped,
                         long linesRead, long bytesRead, long droppedLines, long droppedBytes, long splitRecords,
                         long errors, String lastError, long unreadBytes, long oldestUnreadMillis, boolean overLimit,
                         java.util.Map<String, Long> droppedBytesByReason, java.util.Map<String, Long> droppedLinesByReason) {
}
