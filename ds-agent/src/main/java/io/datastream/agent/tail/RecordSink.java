package io.datastream.agent.tail;

/** Receives records as the reader cuts them. */
@FunctionalInterface
public interface RecordSink {
    /**
     * Offers one record: {@code length} content bytes at {@code index} of {@code buf}, followed in
     * the file by {@code gap} bytes that are not content (the newline, or the cut-off rest).
     *
     * @return false to refuse it (the batch is full); the reader stops and re-reads it next time
     */
    boolean accept(byte[] buf, int index, int length, long gap);
}
