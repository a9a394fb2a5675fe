package io.datastream.agent.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The entries of the version 1 golden checkpoint file in test resources. {@link #main} wrote
 * that file once; it must never be regenerated: it stands for files written by released agents.
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

    private GoldenCheckpoints() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.write(out, CheckpointFormat.encode(V1, WRITTEN_AT));
        System.out.println("wrote " + out);
    }
}
