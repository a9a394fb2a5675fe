package io.datastream.agent.checkpoint;

import java.util.Collection;
import java.util.List;

/**
 * What the tailer or the shipper hands the checkpointer in one round: its changed positions and
 * the counts that go with them, taken together on its own thread so that the checkpoint never
 * holds a count without its offset or an offset without its count.
 *
 * @param items  streams (tailer) or acknowledged offsets (shipper) that moved
 * @param counts lines read up to the tailer's counted offsets, or acknowledged up to the shipper's offsets
 * @param openMinute the tailer's: the minute it reads new lines in once this round is written (-1 = none)
 */
public record Progress<T>(Collection<T> items, Collection<MinuteCounts> counts, long openMinute) {
    public Progress(Collection<T> items, Collection<MinuteCounts> counts) {
        this(items, counts, -1);
    }

    public static <T> Progress<T> of(Collection<T> items) {
        return new Progress<>(items, List.of());
    }
}
