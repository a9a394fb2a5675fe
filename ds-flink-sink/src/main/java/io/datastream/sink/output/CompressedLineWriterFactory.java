package io.datastream.sink.output;

import com.github.luben.zstd.ZstdOutputStream;
import io.datastream.sink.config.Compression;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

/**
 * Opens a {@link CompressedLineWriter} per part file: zstd (one standard frame with a content
 * checksum, so {@code zstd -t} verifies it and {@code zstd -dc} reads it) or gzip ({@code zcat}).
 * The only class of the sink that touches zstd-jni.
 */
public final class CompressedLineWriterFactory implements BulkWriter.Factory<OutputChunk> {
    private static final long serialVersionUID = 1L;
    private static final int GZIP_BUFFER = 64 << 10;

    private final Compression compression;
    private final int level;

    public CompressedLineWriterFactory(Compression compression, int level) {
        this.compression = compression;
        this.level = level;
    }

    @Override
    public BulkWriter<OutputChunk> create(FSDataOutputStream out) throws IOException {
        return new CompressedLineWriter(open(new KeepOpenStream(out)), out);
    }

    /** A compressing stream over {@code out}, for this factory's format and level. */
    OutputStream open(OutputStream out) throws IOException {
        switch (compression) {
            case GZIP:
                return new LeveledGzipStream(out, level);
            case ZSTD:
            default:
                // ZstdOutputStream (not the NoFinalizer one): a part file abandoned on failure
                // without finish() still frees its native context when collected
                ZstdOutputStream z = new ZstdOutputStream(out, level);
                z.setChecksum(true);
                return z;
        }
    }

    /** gzip at a chosen level. */
    private static final class LeveledGzipStream extends GZIPOutputStream {
        LeveledGzipStream(OutputStream out, int level) throws IOException {
            super(out, GZIP_BUFFER);
            def.setLevel(level);
        }
    }
}
