package io.datastream.protocol.codec;

class Lz4CodecTest extends AbstractCodecContractTest {
    @Override
    protected Codec newCodec() {
        return CodecType.LZ4.create();
    }

    @Override
    protected CodecType expectedType() {
        return CodecType.LZ4;
    }
}
