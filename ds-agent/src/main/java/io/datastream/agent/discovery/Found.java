package io.datastream.agent.discovery;

import io.datastream.agent.fingerprint.FileStat;
import java.nio.file.Path;

/** A regular file a task's globs match, with what one stat said about it. */
public record Found(Path path, FileStat stat) {
}
