/**
 * The tailer: follows files (fast, slow and inactive classes, bounded open handles), keeps file
 * identity through renames, copies, truncation and inode reuse, cuts files into records
 * (newlines, multiline groups, over-long lines split or truncated) and builds compressed
 * batches, one file per batch, within the send window and each task's rate limit.
 */
package io.datastream.agent.tail;
