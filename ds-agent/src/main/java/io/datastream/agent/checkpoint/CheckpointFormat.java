package io.datastream.agent.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The checkpoint file, version 2. Big-endian; a string is a u16 byte length and UTF-8 bytes.
 *
 * <pre>
 * offset  field
 *  0      magic u32 0x44534143 ("DSAC")
 *  4      version u16 (2)
 *  6      flags u16 (0)
 *  8      written at, ms since the epoch, i64
 * 16      entry count u32
 * 20      entries, each:
 *           task id str | stream id i64 | fingerprint i64 | fingerprint length u32 | offset i64
 *           | dev i64 | ino i64 | last seen ms i64 | path str
 *           | version 2: counted offset i64 | range count u16 | ranges, each: end offset i64 | minute i64
 *         version 2: minute count u32, then per (task, read minute) the lines counted up to the
 *         entries' offsets:
 *           task id str | minute i64 | lines read i64 | bytes read i64 | lines acked i64 | bytes acked i64
 *         version 2: open minute i64, the minute the agent reads new lines in (-1 = none): lines after
 *         an entry's counted offset were sent, if at all, in that minute
 * end-4   CRC32C u32 of every byte before it
 * </pre>
 *
 * Version 1 (no counted offsets, no minute counts) is still read: each counted offset is the
 * entry's offset and there are no counts.
 *
 * A reader rejects a wrong magic, a version it does not know, a CRC mismatch and lengths that
 * run past the end; it never allocates from a declared size before checking it against the
 * bytes that are there.
 */
public final class CheckpointFormat {
    public static final int MAGIC = 0x44534143;
    public static final int VERSION_1 = 1;
    /** Adds the counted offset to each entry and the minute counts. */
    public static final int VERSION_2 = 2;
    public static final int HEADER_LENGTH = 20;
    static final int MAX_STRING = 4096;
    /** Smallest encoded entry: two empty strings and the fixed fields. */
    static final int MIN_ENTRY = 2 + 8 + 8 + 4 + 8 + 8 + 8 + 8 + 2;
    /** Smallest encoded minute count: an empty task id and five i64. */
    static final int MIN_COUNT = 2 + 5 * 8;

    private CheckpointFormat() {
    }

    /** The whole file for {@code entries}, without minute counts. */
    public static byte[] encode(Collection<CheckpointEntry> entries, long writtenAtMillis) {
        return encode(entries, List.of(), -1, writtenAtMillis);
    }

    /** The whole file (version 2) for {@code entries} and the minute counts. */
    public static byte[] encode(Collection<CheckpointEntry> entries, Collection<MinuteCounts> counts, long openMinute, long writtenAtMillis) {
        int size = HEADER_LENGTH + 4 + 4 + 8;
        List<byte[][]> strings = new ArrayList<>(entries.size());
        for (CheckpointEntry e : entries) {
            byte[] task = utf8(e.taskId());
            byte[] path = utf8(e.path() == null ? "" : e.path());
            strings.add(new byte[][]{task, path});
            size += MIN_ENTRY + 8 + 2 + 16 * Math.min(CountedRange.MAX, e.ranges().size()) + task.length + path.length;
        }
        List<byte[]> countTasks = new ArrayList<>(counts.size());
        for (MinuteCounts c : counts) {
            byte[] task = utf8(c.taskId());
            countTasks.add(task);
            size += MIN_COUNT + task.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(MAGIC).putShort((short) VERSION_2).putShort((short) 0).putLong(writtenAtMillis).putInt(entries.size());
        int i = 0;
        for (CheckpointEntry e : entries) {
            byte[][] s = strings.get(i++);
            b.putShort((short) s[0].length).put(s[0]);
            b.putLong(e.streamId()).putLong(e.fingerprint()).putInt(e.fingerprintLength()).putLong(e.offset());
            b.putLong(e.dev()).putLong(e.ino()).putLong(e.lastSeenMillis());
            b.putShort((short) s[1].length).put(s[1]);
            b.putLong(e.countedOffset());
            List<CountedRange> ranges = e.ranges();
            int skip = Math.max(0, ranges.size() - CountedRange.MAX);
            b.putShort((short) (ranges.size() - skip));
            for (int r = skip; r < ranges.size(); r++) {
                b.putLong(ranges.get(r).endOffset()).putLong(ranges.get(r).minute());
            }
        }
        b.putInt(counts.size());
        i = 0;
        for (MinuteCounts c : counts) {
            byte[] task = countTasks.get(i++);
            b.putShort((short) task.length).put(task);
            b.putLong(c.minute()).putLong(c.linesRead()).putLong(c.bytesRead()).putLong(c.linesAcked()).putLong(c.bytesAcked());
        }
        b.putLong(openMinute);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_STRING) {
            // Paths over 4 KiB do not exist on Linux; cut at a character boundary anyway.
            int cut = MAX_STRING;
            while (cut > 0 && (b[cut] & 0xC0) == 0x80) {
                cut--;
            }
            byte[] c = new byte[cut];
            System.arraycopy(b, 0, c, 0, cut);
            return c;
        }
        return b;
    }

    /** A decoded file. */
    public record Contents(int version, long writtenAtMillis, List<CheckpointEntry> entries, List<MinuteCounts> counts, long openMinute) {
        public Contents {
            entries = List.copyOf(entries);
            counts = List.copyOf(counts);
        }
    }

    public static Contents decode(byte[] data) throws CorruptCheckpointException {
        if (data.length < HEADER_LENGTH + 4) {
            throw new CorruptCheckpointException("checkpoint file is " + data.length + " bytes, shorter than its header");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new CorruptCheckpointException("bad checkpoint magic 0x" + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC));
        }
        int version = b.getShort() & 0xFFFF;
        if (version != VERSION_1 && version != VERSION_2) {
            throw new CorruptCheckpointException("checkpoint version " + version + " is not supported (this build reads 1 and 2)");
        }
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length - 4);
        int stored = ByteBuffer.wrap(data, data.length - 4, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new CorruptCheckpointException("checkpoint CRC32C mismatch: the file is damaged");
        }
        b.getShort(); // flags
        long written = b.getLong();
        long count = b.getInt() & 0xFFFFFFFFL;
        int end = data.length - 4;
        int entryBytes = MIN_ENTRY + (version >= VERSION_2 ? 10 : 0);
        if (count > (end - HEADER_LENGTH) / entryBytes) {
            throw new CorruptCheckpointException("checkpoint declares " + count + " entries, more than its bytes can hold");
        }
        List<CheckpointEntry> entries = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            String task = string(b, end, "task id");
            need(b, end, 8 + 8 + 4 + 8 + 8 + 8 + 8, "entry");
            long stream = b.getLong();
            long fp = b.getLong();
            int fpLen = b.getInt();
            long offset = b.getLong();
            long dev = b.getLong();
            long ino = b.getLong();
            long seen = b.getLong();
            String path = string(b, end, "path");
            long counted = offset;
            List<CountedRange> ranges = List.of();
            if (version >= VERSION_2) {
                need(b, end, 10, "entry");
                counted = b.getLong();
                int n = b.getShort() & 0xFFFF;
                if (n > CountedRange.MAX) {
                    throw new CorruptCheckpointException("checkpoint entry " + i + " has " + n + " counted ranges, over " + CountedRange.MAX);
                }
                need(b, end, 16 * n, "entry's counted ranges");
                ranges = new ArrayList<>(n);
                for (int r = 0; r < n; r++) {
                    ranges.add(new CountedRange(b.getLong(), b.getLong()));
                }
            }
            if (offset < 0 || fpLen <= 0 || counted < offset) {
                throw new CorruptCheckpointException("checkpoint entry " + i + " has offset " + offset + ", counted offset " + counted
                        + " and fingerprint length " + fpLen);
            }
            entries.add(new CheckpointEntry(task, stream, fp, fpLen, offset, dev, ino, path, seen, counted, ranges));
        }
        List<MinuteCounts> counts = new ArrayList<>();
        long openMinute = -1;
        if (version >= VERSION_2) {
            need(b, end, 4, "minute count");
            long n = b.getInt() & 0xFFFFFFFFL;
            if (n > (end - b.position() - 8) / MIN_COUNT) {
                throw new CorruptCheckpointException("checkpoint declares " + n + " minute counts, more than its bytes can hold");
            }
            for (long i = 0; i < n; i++) {
                String task = string(b, end, "task id");
                need(b, end, 5 * 8, "minute count");
                MinuteCounts c = new MinuteCounts(task, b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
                if (c.linesRead() < 0 || c.bytesRead() < 0 || c.linesAcked() < 0 || c.bytesAcked() < 0) {
                    throw new CorruptCheckpointException("checkpoint minute count " + i + " is negative");
                }
                counts.add(c);
            }
            need(b, end, 8, "open minute");
            openMinute = b.getLong();
        }
        if (b.position() != end) {
            throw new CorruptCheckpointException("checkpoint has " + (end - b.position()) + " bytes after its last entry");
        }
        return new Contents(version, written, entries, counts, openMinute);
    }

    private static void need(ByteBuffer b, int end, int n, String what) throws CorruptCheckpointException {
        if (end - b.position() < n) {
            throw new CorruptCheckpointException("checkpoint ends inside an " + what);
        }
    }

    private static String string(ByteBuffer b, int end, String what) throws CorruptCheckpointException {
        need(b, end, 2, what);
        int len = b.getShort() & 0xFFFF;
        if (len > MAX_STRING) {
            throw new CorruptCheckpointException("checkpoint " + what + " of " + len + " bytes is over " + MAX_STRING);
        }
        need(b, end, len, what);
        String s = new String(b.array(), b.position(), len, StandardCharsets.UTF_8);
        b.position(b.position() + len);
        return s;
    }
}
