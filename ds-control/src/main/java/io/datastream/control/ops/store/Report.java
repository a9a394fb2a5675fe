package io.datastream.control.ops.store;

import java.util.List;
import java.util.Objects;

/**
 * A batch of minute reports from one source: for each (minute, task), the counts of that minute.
 * Storing a report replaces what an earlier report said for the same (source, minute, task): a
 * re-sent report never counts twice.
 *
 * @param tier    the kind of source
 * @param source  its id (agent id, router id, sink id)
 * @param minutes the minutes reported
 */
public record Report(Tier tier, String source, List<Minute> minutes) {
    public Report {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(source, "source");
        minutes = List.copyOf(minutes);
    }

    /**
     * @param minute epoch minute (epoch seconds / 60) the lines were read in
     * @param task   task id
     * @param counts the counts of that minute
     */
    public record Minute(long minute, String task, Counts counts) {
        public Minute {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(counts, "counts");
        }
    }
}
