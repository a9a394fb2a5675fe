package io.datastream.agent.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The contents of the golden checkpoint files in test resources, version 1 and version 2.
 * {@link #main} wrote each once (version 1 with the version 1 writer); they must never be
 * regenerated: they stand for files written by released agents.
 */
final class GoldenCheckpoints {
    static final long WRITTEN_AT = 1_714_521_600_000L;

    static final List<CheckpointEntry> V1 = List.of(
            new CheckpointEntry("web-access", 0x1122334455667788L, 0x1122334455667788L, 256, 1_048_576L, 64768, 131_075,
                    "/var/log/nginx/access.log", 1_714_521_599_000L),
            new CheckpointEntry("web-access", 0x0F0E0D0C0B0A0908L, 0x7A6B5C4D3E2F1001L, 256, 0L, 64768, 131_080,
                    "/var/log/nginx/access.log.1", 1_714_521_000_000L),
            new CheckpointEntry("app", -2L, -2L, 42, 42L, -1, -1, "/srv/app/logs/short.log", 1_714_521_500_000L),
            new CheckpointEntry("app-ümlaut", 5L, 5L, 256, 9_000_000_000L, 2049, 7, "/srv/app/logs/spaß.log", 1_714_521_600_000L));

    /** Version 2: counted offsets at and beyond the acknowledged ones, and minute counts. */
    static final List<CheckpointEntry> V2 = List.of(
            new CheckpointEntry("web-access", 0x1122334455667788L, 0x1122334455667788L, 256, 1_048_576L, 64768, 131_075,
                    "/var/log/nginx/access.log", 1_714_521_599_000L, 1_050_000L,
                    List.of(new CountedRange(1_049_000L, 28_575_359L), new CountedRange(1_050_000L, 28_575_360L))),
            new CheckpointEntry("app", -2L, -2L, 42, 42L, -1, -1, "/srv/app/logs/short.log", 1_714_521_500_000L, 42L),
            new CheckpointEntry("app-ümlaut", 5L, 5L, 256, 9_000_000_000L, 2049, 7, "/srv/app/logs/spaß.log", 1_714_521_600_000L,
                    9_000_004_096L));
    static final List<MinuteCounts> V2_COUNTS = List.of(
            new MinuteCounts("web-access", 28_575_359L, 120, 14_400, 100, 12_000),
            new MinuteCounts("web-access", 28_575_360L, 10, 1_424, 0, 0),
            new MinuteCounts("app-ümlaut", 28_575_360L, 40, 4_096, 0, 0));

    static final long V2_OPEN_MINUTE = 28_575_360L;

    private GoldenCheckpoints() {
    }

    /** Writes the version 2 golden file to {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.write(out, CheckpointFormat.encode(V2, V2_COUNTS, V2_OPEN_MINUTE, WRITTEN_AT));
        System.out.println("wrote " + out);
    }
}
