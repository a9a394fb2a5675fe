package io.datastream.protocol.batch;

import io.netty.buffer.ByteBuf;

/** Unsigned LEB128 varints, as used by the record framing of the batch payload. */
final class Varint {
    private Varint() {
    }

    static void writeUnsigned(ByteBuf out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static int size(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }
}
