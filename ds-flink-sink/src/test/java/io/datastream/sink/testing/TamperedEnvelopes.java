package io.datastream.sink.testing;

import io.datastream.protocol.batch.BatchLayout;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Envelopes that pass the header and CRC checks but whose payload does not decompress: what a
 * buggy agent could send. The CRC is recomputed after the damage, as the agent would have.
 */
public final class TamperedEnvelopes {
    private TamperedEnvelopes() {
    }

    public static byte[] withBrokenPayload(byte[] envelope) {
        byte[] b = envelope.clone();
        ByteBuffer buf = ByteBuffer.wrap(b);
        int header = buf.getShort(BatchLayout.HEADER_LENGTH_OFFSET) & 0xFFFF;
        for (int i = header; i < b.length; i++) {
            b[i] = (byte) 0x5A;
        }
        CRC32C crc = new CRC32C();
        crc.update(b, BatchLayout.CRC_START, b.length - BatchLayout.CRC_START);
        buf.putInt(BatchLayout.CRC_OFFSET, (int) crc.getValue());
        return b;
    }
}
