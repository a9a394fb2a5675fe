package io.datastream.agent.tail;

import io.datastream.agent.discovery.Found;
import io.datastream.agent.fingerprint.FileKey;
import io.datastream.agent.fingerprint.FileStat;
import io.datastream.agent.fingerprint.Fingerprinter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the copy that copytruncate made of a file just before truncating it, when the copy's name
 * is not one the task's globs match ({@code app.log -> app.log.1} with {@code *.log}): a regular
 * file in the same directory, long enough, whose first bytes have the stream's fingerprint. Bounded:
 * at most {@value #MAX_LISTED} entries listed and {@value #MAX_CANDIDATES} files (newest first)
 * opened per search. Used by the tailer thread only.
 */
final class CopyFinder {
    private static final Logger LOG = LoggerFactory.getLogger(CopyFinder.class);
    private static final int MAX_LISTED = 10_000;
    private static final int MAX_CANDIDATES = 16;

    private final Fingerprinter fingerprinter;

    CopyFinder(Fingerprinter fingerprinter) {
        this.fingerprinter = fingerprinter;
    }

    /**
     * A file in {@code dir}, other than inode {@code exclude}, at least {@code minSize} bytes long,
     * whose first {@code fingerprintLength} bytes hash to {@code fingerprint}; null if none.
     */
    Found find(Path dir, FileKey exclude, long minSize, int fingerprintLength, long fingerprint) {
        List<Found> candidates = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            int n = 0;
            for (Path p : ds) {
                if (++n > MAX_LISTED) {
                    break;
                }
                try {
                    FileStat st = FileStat.of(p);
                    if (st.regular() && !st.key().equals(exclude) && st.size() >= Math.max(minSize, fingerprintLength)) {
                        candidates.add(new Found(p, st));
                    }
                } catch (IOException | SecurityException e) {
                    // vanished or unreadable: not the copy
                }
            }
        } catch (IOException | SecurityException e) {
            LOG.debug("cannot list {}: {}", dir, e.toString());
            return null;
        }
        candidates.sort(Comparator.comparingLong((Found f) -> f.stat().modifiedMillis()).reversed());
        for (int i = 0; i < candidates.size() && i < MAX_CANDIDATES; i++) {
            Found c = candidates.get(i);
            try {
                int got = fingerprinter.readHead(c.path(), fingerprintLength);
                if (got == fingerprintLength && fingerprinter.streamId(got, 0) == fingerprint) {
                    return c;
                }
            } catch (IOException | SecurityException e) {
                // vanished or unreadable: not the copy
            }
        }
        return null;
    }
}
