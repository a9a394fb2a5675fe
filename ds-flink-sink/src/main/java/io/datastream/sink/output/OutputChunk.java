package io.datastream.sink.output;

/**
 * The new lines of one batch, formatted and concatenated (each ends with {@code \n}), on their
 * way to the bucket of their task and time. One element per batch, not per line, keeps the file
 * writer's per-element work (bucket lookup, rolling check) off the per-line path.
 *
 * @param taskId    the batch's task: the first level of the bucket
 * @param eventTime the batch's first event time (epoch millis), or 0 when the agent sent none
 * @param data      the formatted lines
 * @param lines     how many lines {@code data} holds
 */
public record OutputChunk(String taskId, long eventTime, byte[] data, int lines) {
}
