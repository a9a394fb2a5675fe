package io.datastream.sink.output;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Passes writes through unchanged; {@link #close()} only flushes, leaving the stream below open. */
final class KeepOpenStream extends FilterOutputStream {
    KeepOpenStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
