package io.datastream.protocol.codec;

class ZstdLevel1CodecTest extends AbstractCodecContractTest {
    @Override
    protected Codec newCodec() {
        return CodecType.ZSTD.create(1);
    }

    @Override
    protected CodecType expectedType() {
        return CodecType.ZSTD;
    }
}
