package io.datastream.sink.output;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

/**
 * Writes chunks through a compressing stream into one part file. {@link #finish()} ends the
 * compressed stream (the zstd frame or gzip trailer) so every finished file is complete on its
 * own; the part file's stream itself is closed by Flink.
 */
final class CompressedLineWriter implements BulkWriter<OutputChunk> {
    private final OutputStream compressor;
    private final FSDataOutputStream target;

    CompressedLineWriter(OutputStream compressor, FSDataOutputStream target) {
        this.compressor = compressor;
        this.target = target;
    }

    @Override
    public void addElement(OutputChunk chunk) throws IOException {
        compressor.write(chunk.data());
    }

    @Override
    public void flush() throws IOException {
        compressor.flush();
    }

    @Override
    public void finish() throws IOException {
        compressor.close(); // ends the frame; the stream under it is kept open (KeepOpenStream)
        target.flush();
    }
}
