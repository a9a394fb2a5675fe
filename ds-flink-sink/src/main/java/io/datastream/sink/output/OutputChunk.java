package io.datastream.sink.output;

/**
 * The new lines of one batch that fall in one time bucket, formatted and concatenated (each ends
 * with {@code \n}), on their way to the bucket of their task and time. One element per batch and
 * bucket, not per line, keeps the file writer's per-element work (bucket lookup, rolling check)
 * off the per-line path.
 *
 * @param taskId    the batch's task: the first level of the bucket
 * @param eventTime an event time (epoch millis) in the bucket of every line of the chunk (the
 *                  first line's), or 0 when there is none (the bucket of the processing time)
 * @param data      the formatted lines
 * @param lines     how many lines {@code data} holds
 */
public record OutputChunk(String taskId, long eventTime, byte[] data, int lines) {
}
