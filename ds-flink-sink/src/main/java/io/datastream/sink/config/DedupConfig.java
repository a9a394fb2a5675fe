package io.datastream.sink.config;

import io.datastream.config.Checked;
import io.datastream.config.Doc;
import io.datastream.config.Problems;
import java.io.Serializable;
import java.time.Duration;

/** {@code dedup.*}: bounds of the de-duplication state. */
public record DedupConfig(
        @Doc("how long a task's delivered byte ranges of a file are kept after the task's last batch of the file arrived (at least "
                + "1s); a re-send that arrives later than this is written again (a duplicate)")
        Duration ttl,
        @Doc("most disjoint delivered ranges kept per file and task (16 to 10000000); beyond it the lowest ranges are forgotten "
                + "(counted), so only re-sends of that old data could be duplicated")
        Integer maxRangesPerFile,
        @Doc("how long a client event id (header `ds.eventId` of the router's HTTP events) is remembered after its event was first "
                + "written (processing time at the sink; at least 1s). A client's re-send processed within it is dropped; one processed "
                + "later is written again. The state holds every id written within this time")
        Duration eventIdTtl) implements Serializable, Checked {
    /** The default of {@code dedup.eventIdTtl}. */
    public static final Duration DEFAULT_EVENT_ID_TTL = Duration.ofHours(1);

    public DedupConfig {
        ttl = ttl == null ? Duration.ofDays(7) : ttl;
        maxRangesPerFile = maxRangesPerFile == null ? 10_000 : maxRangesPerFile;
        eventIdTtl = eventIdTtl == null ? DEFAULT_EVENT_ID_TTL : eventIdTtl;
    }

    /** With the default {@code dedup.eventIdTtl}. */
    public DedupConfig(Duration ttl, Integer maxRangesPerFile) {
        this(ttl, maxRangesPerFile, null);
    }

    @Override
    public void check(Problems p) {
        p.check(ttl.compareTo(Duration.ofSeconds(1)) >= 0, "ttl", "must be at least 1s, was " + ttl);
        p.between(maxRangesPerFile, 16, 10_000_000, "maxRangesPerFile");
        p.check(eventIdTtl.compareTo(Duration.ofSeconds(1)) >= 0, "eventIdTtl", "must be at least 1s, was " + eventIdTtl);
    }
}
