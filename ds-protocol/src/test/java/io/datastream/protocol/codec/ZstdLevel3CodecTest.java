package io.datastream.protocol.codec;

class ZstdLevel3CodecTest extends AbstractCodecContractTest {
    @Override
    protected Codec newCodec() {
        return CodecType.ZSTD.create(3);
    }

    @Override
    protected CodecType expectedType() {
        return CodecType.ZSTD;
    }
}
