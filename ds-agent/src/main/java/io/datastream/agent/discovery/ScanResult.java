package io.datastream.agent.discovery;

import io.datastream.registry.task.TaskSpec;
import java.util.List;

/**
 * Every file one task's globs match now (a full snapshot, so a lost or skipped result is
 * harmless: the next one says everything again).
 *
 * @param spec      the task as scanned (results of an older spec are ignored)
 * @param files     matching regular files, at most discovery.maxFilesPerTask
 * @param overLimit more files matched than the limit; the rest were ignored
 * @param errors    directories or files that could not be read, at most a few
 * @param refused   why the task may not be read here ({@link PathPolicy}), or null; then {@code files} is empty
 */
public record ScanResult(TaskSpec spec, List<Found> files, boolean overLimit, List<String> errors, String refused) {
    public ScanResult {
        files = List.copyOf(files);
        errors = List.copyOf(errors);
    }

    public ScanResult(TaskSpec spec, List<Found> files, boolean overLimit, List<String> errors) {
        this(spec, files, overLimit, errors, null);
    }
}
