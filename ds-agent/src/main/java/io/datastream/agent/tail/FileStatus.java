package io.datastream.agent.tail;

/**
 * One followed file, for operators and tests.
 *
 * @param state fast, slow, inactive, rotated (draining after rotation or deletion), copy (same content
 *              as a stream read from another inode), fingerprinting (empty or too short yet: followed by inode,
 *              held open when a handle is free), skipped (compressed, not read) or error
 * @param path  where the file was last seen (a file renamed out of the globs keeps its last matching path)
 * @param inode the file's inode (-1 when the file system does not say)
 */
public record FileStatus(String taskId, String path, String state, long streamId, long offset, long size, String error, long inode) {
}
