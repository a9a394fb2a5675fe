package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.compression.Compression;
import io.datastream.agent.discovery.Found;
import io.datastream.agent.fingerprint.FileKey;
import io.datastream.agent.fingerprint.FileStat;
import io.datastream.agent.fingerprint.Fingerprinter;
import io.datastream.agent.fingerprint.XxHash64;
import io.datastream.registry.member.DropReason;
import io.datastream.registry.task.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of rename, copytruncate, truncation and inode reuse, and the moves of a file's state
 * machine, driven one by one with a manual clock: no tailer thread, no sleeps. Files on disk only
 * where a rule looks at the directory (the copy copytruncate made).
 */
class RotationRulesTest {
    private static final long LOSS_GRACE = 5_250;
    @TempDir
    Path dir;
    private long now = 1_000_000;
    private AgentConfig.FileOptions options;
    private RecordingHandles handles;
    private RotationRules rules;
    private TaskRuntime task;

    /** What the tailer's handle management was asked to do. */
    private static final class RecordingHandles implements FileTable.Handles {
        final List<TrackedFile> wanted = new ArrayList<>();
        final List<TrackedFile> closed = new ArrayList<>();
        final List<FileStream> dirty = new ArrayList<>();

        @Override
        public void wantOpen(TrackedFile f) {
            wanted.add(f);
        }

        @Override
        public void close(TrackedFile f) {
            closed.add(f);
        }

        @Override
        public void dirty(FileStream s) {
            dirty.add(s);
        }
    }

    @BeforeEach
    void setUp() {
        AgentConfig config = AgentConfig.fromYaml(TailerFixture.FAST_TIMINGS + "dataDir: " + dir.resolve("data") + "\n");
        options = config.files();
        handles = new RecordingHandles();
        rules = new RotationRules(options, handles, new CopyFinder(new Fingerprinter(options.fingerprintBytes())), LOSS_GRACE);
        TaskSpec spec = new TaskSpec("app", List.of(dir + "/*.log"), null, "logs", null, null, null, null, null, null, null, null, null, null);
        task = new TaskRuntime(spec, now);
    }

    private TrackedFile file(String name, long ino, long size) {
        TrackedFile f = new TrackedFile(task, new FileKey(1, ino), dir.resolve(name));
        f.size = size;
        f.lastGrowthMillis = now;
        task.files.put(f.key, f);
        return f;
    }

    private FileStream stream(long id, long offset) {
        FileStream s = new FileStream(id, id, 32, offset);
        task.index(s);
        return s;
    }

    /** A file {@code ino} reading a new stream at {@code offset} of {@code size} bytes. */
    private TrackedFile reading(String name, long ino, long size, long offset) {
        TrackedFile f = file(name, ino, size);
        rules.adopt(f, stream(ino, offset), now);
        return f;
    }

    // ------------------------------------------------------------------ the state machine

    @Test
    void everyFileStartsPendingAndReadsOnceAdopted() {
        TrackedFile f = file("app.log", 1, 100);
        assertThat(f.state()).isEqualTo(FileState.PENDING_IDENTITY);
        assertThat(f.label()).isEqualTo("fingerprinting");

        FileStream s = stream(7, 0);
        rules.adopt(f, s, now);

        assertThat(f.state()).isEqualTo(FileState.READING);
        assertThat(f.stream()).isSameAs(s);
        assertThat(s.owner).isSameAs(f);
        assertThat(s.path).isEqualTo(f.path);
        assertThat(handles.wanted).containsExactly(f);
        assertThat(handles.dirty).containsExactly(s);
    }

    @Test
    void illegalMovesThrow() {
        TrackedFile f = reading("app.log", 1, 100, 0);
        FileStream other = stream(9, 0);
        assertThatThrownBy(() -> f.copyOf(other, 100)).isInstanceOf(IllegalStateException.class).hasMessageContaining("READING -> COPY");
        assertThatThrownBy(() -> f.attach(other)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(f::notCopy).isInstanceOf(IllegalStateException.class);

        TrackedFile skipped = file("old.log.gz", 2, 10);
        skipped.compressed(Compression.GZIP, true);
        assertThat(skipped.state()).isEqualTo(FileState.SKIPPED);
        assertThatThrownBy(() -> skipped.attach(other)).isInstanceOf(IllegalStateException.class);

        rules.detach(f, now, false);
        assertThat(f.state()).isEqualTo(FileState.RELEASED);
        assertThatThrownBy(() -> f.attach(other)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(f::release).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.followedTo(dir.resolve("x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theTableOfMovesIsClosedUnderRelease() {
        for (FileState s : FileState.values()) {
            assertThat(s.canMoveTo(FileState.RELEASED)).as(s.name()).isEqualTo(s != FileState.RELEASED);
            assertThat(FileState.RELEASED.canMoveTo(s)).isFalse();
        }
        assertThat(FileState.READING.canMoveTo(FileState.COPY)).isFalse();
        assertThat(FileState.SKIPPED.canMoveTo(FileState.READING)).isFalse();
    }

    // ------------------------------------------------------------------ rename

    @Test
    void aRenameWithinTheGlobsIsReadToItsEndFlushedOnceQuietAndClosed() {
        TrackedFile f = reading("app.log", 1, 100, 60);
        rules.listed(f, dir.resolve("app.log.1"), now);

        assertThat(f.place()).isEqualTo(TrackedFile.Place.RENAMED);
        assertThat(f.renamed()).isTrue();
        assertThat(f.stream().path).isEqualTo(dir.resolve("app.log.1"));
        assertThat(handles.dirty).contains(f.stream());
        assertThat(rules.finalFlushDue(f, now + options.releaseAfterMs() - 1)).isFalse();
        assertThat(rules.finalFlushDue(f, now + options.releaseAfterMs())).isTrue();

        f.lastGrowthMillis = now + 100; // growth after the rename delays the final flush
        assertThat(rules.finalFlushDue(f, now + options.releaseAfterMs())).isFalse();
        assertThat(rules.finalFlushDue(f, now + 100 + options.releaseAfterMs())).isTrue();
    }

    @Test
    void aRotatedFileIsClosedWhenStillListedAndReleasedWhenGone() throws Exception {
        Path p = Files.writeString(dir.resolve("app.log"), "x\n");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p)) {
            TrackedFile f = reading("app.log", 1, 100, 60);
            f.channel = ch;
            rules.listed(f, dir.resolve("app.log.1"), now);
            long quiet = now + options.releaseAfterMs();
            assertThat(rules.afterTurn(f, quiet)).as("unread bytes").isEqualTo(RotationRules.Disposal.KEEP);

            f.stream().cursor.reset(100);
            assertThat(rules.afterTurn(f, quiet - 1)).as("not quiet yet").isEqualTo(RotationRules.Disposal.KEEP);
            assertThat(rules.afterTurn(f, quiet)).isEqualTo(RotationRules.Disposal.CLOSE);

            rules.missing(f, now + 10);
            assertThat(f.label()).isEqualTo("rotated");
            assertThat(rules.afterTurn(f, quiet + 9)).as("gone: quiet counts from when it went").isEqualTo(RotationRules.Disposal.KEEP);
            assertThat(rules.afterTurn(f, quiet + 10)).isEqualTo(RotationRules.Disposal.RELEASE);
        }
    }

    @Test
    void anUnrotatedFileIsClosedOnlyWhenDrainedAndInactive() throws Exception {
        Path p = Files.writeString(dir.resolve("app.log"), "x\n");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p)) {
            TrackedFile f = reading("app.log", 1, 100, 100);
            f.channel = ch;
            assertThat(rules.finalFlushDue(f, now + 10 * options.releaseAfterMs())).isFalse();
            assertThat(rules.afterTurn(f, now + options.inactiveAfterMs() - 1)).isEqualTo(RotationRules.Disposal.KEEP);
            assertThat(rules.afterTurn(f, now + options.inactiveAfterMs())).isEqualTo(RotationRules.Disposal.CLOSE);
            f.stream().cursor.reset(50);
            assertThat(rules.afterTurn(f, now + options.inactiveAfterMs())).as("bytes left").isEqualTo(RotationRules.Disposal.KEEP);
        }
    }

    @Test
    void aFileRenamedThenMissingFromOneScanIsStillRenamedWhenListedAgain() {
        TrackedFile f = reading("app.log", 1, 100, 100);
        rules.listed(f, dir.resolve("app.log.1"), now);
        rules.missing(f, now + 50); // logrotate renamed the next generation while the scan listed
        assertThat(f.present()).isFalse();
        assertThat(f.rotatedAtMillis()).isEqualTo(now + 50);
        rules.missing(f, now + 80);
        assertThat(f.rotatedAtMillis()).as("kept from when it first went").isEqualTo(now + 50);

        rules.listed(f, dir.resolve("app.log.1"), now + 100);
        assertThat(f.place()).isEqualTo(TrackedFile.Place.RENAMED);
        assertThat(f.rotated()).isTrue();
    }

    @Test
    void aFileMissingFromOneScanAtItsOwnPathIsListedAgainUnrotated() {
        TrackedFile f = reading("app.log", 1, 100, 100);
        rules.missing(f, now);
        assertThat(f.rotated()).isTrue();
        rules.listed(f, f.path, now + 100);
        assertThat(f.place()).isEqualTo(TrackedFile.Place.LISTED);
        assertThat(f.rotated()).isFalse();
    }

    @Test
    void aFileRenamedOutOfTheGlobsIsFollowedByInodeAndReopened() throws Exception {
        TrackedFile f = reading("app.log", 1, 100, 60);
        rules.missing(f, now);
        Path moved = Files.writeString(dir.resolve("app.old"), "y".repeat(150));
        handles.wanted.clear();
        rules.followed(f, new Found(moved, FileStat.of(moved)));

        assertThat(f.path).isEqualTo(moved);
        assertThat(f.stream().path).isEqualTo(moved);
        assertThat(f.size).isEqualTo(150);
        assertThat(handles.wanted).containsExactly(f);
        rules.listed(f, moved, now + 10); // listed there later (globs changed): a renamed file
        assertThat(f.place()).isEqualTo(TrackedFile.Place.RENAMED);
    }

    // ------------------------------------------------------------------ truncation, inode reuse

    @Test
    void aTruncationWithoutACopyLeavesTheStreamDormantWithItsUnreadBytesPending() {
        TrackedFile f = reading("app.log", 1, 100, 60);
        rules.listed(f, dir.resolve("app.log"), now);
        FileStream s = f.stream();

        rules.contentChanged(f, 10, now);

        assertThat(f.state()).isEqualTo(FileState.PENDING_IDENTITY);
        assertThat(f.stream()).isNull();
        assertThat(f.excluded()).isSameAs(s);
        assertThat(f.size).isEqualTo(10);
        assertThat(f.pendingResolve).isTrue();
        assertThat(s.owner).isNull();
        assertThat(s.truncatedAway).isTrue();
        assertThat(s.pendingLoss).isEqualTo(40);
        assertThat(s.lossReason).isEqualTo(DropReason.TRUNCATED_UNREAD);
        // inode reuse: the inode never continues the stream its own truncation left, even when long enough
        assertThat(rules.mayContinue(s, f, 1_000)).isFalse();
        TrackedFile other = file("other.log", 2, 1_000);
        assertThat(rules.mayContinue(s, other, 1_000)).isTrue();
        assertThat(rules.mayContinue(s, other, 59)).as("shorter than what was read of it").isFalse();
    }

    @Test
    void aTruncationCountsOnlyTheBytesTheStreamHeldBeforeNewContentGrewPastIt() {
        TrackedFile f = reading("app.log", 1, 100, 60);
        FileStream s = f.stream();
        f.size = 500; // grown, but the growth is new content written after a truncation
        rules.contentChanged(f, 500, 80, now);
        assertThat(s.pendingLoss).isEqualTo(20);
        assertThat(f.size).isEqualTo(500);
    }

    @Test
    void aListedCopyTakesTheStreamOverWhenTheOriginalIsTruncated() {
        TrackedFile original = reading("app.log", 1, 100, 60);
        FileStream s = original.stream();
        TrackedFile copy = file("app.log.1", 2, 100);
        rules.markCopy(copy, s, 100);
        assertThat(copy.state()).isEqualTo(FileState.COPY);
        assertThat(copy.label()).isEqualTo("copy");
        assertThat(rules.staticCopy(copy)).as("static while the original lives").isTrue();

        rules.contentChanged(original, 0, now);

        assertThat(copy.state()).isEqualTo(FileState.READING);
        assertThat(copy.stream()).isSameAs(s);
        assertThat(s.owner).isSameAs(copy);
        assertThat(s.cursor.offset()).isEqualTo(60);
        assertThat(s.pendingLoss).isZero();
        assertThat(s.truncatedAway).isFalse();
        assertThat(original.state()).isEqualTo(FileState.PENDING_IDENTITY);
    }

    @Test
    void aCopyShorterThanWhatWasReadStaysACopyAndIsNeverRead() {
        TrackedFile original = reading("app.log", 1, 100, 90);
        FileStream s = original.stream();
        TrackedFile copy = file("app.log.1", 2, 80);
        rules.markCopy(copy, s, 80);

        rules.contentChanged(original, 0, now);

        assertThat(copy.state()).isEqualTo(FileState.COPY);
        assertThat(s.duplicates).containsExactly(copy);
        assertThat(s.truncatedAway).isTrue();
        assertThat(rules.staticCopy(copy)).as("read beyond its end").isTrue();
    }

    @Test
    void aCopyThatGrowsIsAFileOfItsOwn() {
        TrackedFile original = reading("app.log", 1, 100, 60);
        TrackedFile copy = file("app.log.1", 2, 100);
        rules.markCopy(copy, original.stream(), 100);
        copy.size = 120;
        assertThat(rules.staticCopy(copy)).isFalse();
        assertThat(copy.state()).isEqualTo(FileState.PENDING_IDENTITY);
        assertThat(original.stream().duplicates).isEmpty();
    }

    @Test
    void copytruncateWithACopyOutsideTheGlobsContinuesFromTheCopyAndCountsWhatOnlyTheOriginalHeld() throws Exception {
        byte[] content = ("first line of the generation that is long enough\n".repeat(4)).getBytes(StandardCharsets.UTF_8);
        Path copyPath = dir.resolve("app.log-20261203");
        Files.write(copyPath, content);
        TrackedFile original = file("app.log", 1, content.length + 30); // 30 bytes written after the copy was made
        int fpLen = 32;
        FileStream s = new FileStream(XxHash64.hash(content, 0, fpLen, 0), XxHash64.hash(content, 0, fpLen, 0), fpLen, 50);
        task.index(s);
        rules.adopt(original, s, now);

        rules.contentChanged(original, 0, now + 5);

        TrackedFile copy = task.files.get(FileStat.of(copyPath).key());
        assertThat(copy).isNotNull();
        assertThat(copy.state()).isEqualTo(FileState.READING);
        assertThat(copy.stream()).isSameAs(s);
        assertThat(copy.present()).as("outside the globs: a rotated file").isFalse();
        assertThat(copy.renamed()).isTrue();
        assertThat(s.cursor.offset()).isEqualTo(50);
        assertThat(task.drops.bytes(DropReason.TRUNCATED_UNREAD)).isEqualTo(30);
        assertThat(rules.finalFlushDue(copy, now + 5 + options.releaseAfterMs())).isTrue();
    }

    @Test
    void theCopyListedAfterTheTruncationWasSeenIsRecognisedWithinTheGraceOnly() {
        TrackedFile original = reading("app.log", 1, 100, 90);
        FileStream s = original.stream();
        rules.contentChanged(original, 0, now);
        TrackedFile late = file("app.log.1", 2, 80);

        assertThat(rules.coversCopy(s, late, 80, now + LOSS_GRACE)).isTrue();
        assertThat(rules.coversCopy(s, late, 80, now + LOSS_GRACE + 1)).as("later: a new stream").isFalse();
        assertThat(rules.coversCopy(s, late, 95, now)).as("longer than what was read: not that copy").isFalse();
        assertThat(rules.coversCopy(s, original, 80, now)).as("the truncated inode itself").isFalse();
    }

    // ------------------------------------------------------------------ deletion

    @Test
    void aDeletedFileLeavesItsUnreadBytesPendingAndACopyTakesOver() {
        TrackedFile f = reading("app.log", 1, 100, 60);
        FileStream s = f.stream();
        rules.detach(f, now, true);
        assertThat(f.state()).isEqualTo(FileState.RELEASED);
        assertThat(s.owner).isNull();
        assertThat(s.pendingLoss).isEqualTo(40);
        assertThat(s.lossReason).isEqualTo(DropReason.DELETED_UNREAD);
        assertThat(task.dormantByKey.get(f.key)).isSameAs(s);

        TrackedFile g = reading("b.log", 3, 100, 10);
        FileStream t = g.stream();
        TrackedFile copy = file("b.log.1", 4, 100);
        rules.markCopy(copy, t, 100);
        rules.detach(g, now, true);
        assertThat(copy.stream()).isSameAs(t);
        assertThat(t.pendingLoss).isZero();
    }

    @Test
    void aSkippedCompressedFileThatChangesIsSniffedAgain() {
        TrackedFile f = file("old.log.gz", 2, 10);
        f.compressed(Compression.GZIP, true);
        assertThat(f.label()).isEqualTo("skipped");
        f.compressionChanged();
        assertThat(f.state()).isEqualTo(FileState.PENDING_IDENTITY);
        assertThat(f.compression()).isNull();

        TrackedFile d = file("old.log.2.gz", 3, 10);
        d.compressed(Compression.GZIP, false);
        FileStream s = stream(5, 0);
        rules.adopt(d, s, now);
        rules.contentChanged(d, 0, now);
        assertThat(d.state()).as("read decompressed: waits to be quiet again").isEqualTo(FileState.COMPRESSED);
    }
}
