package io.datastream.protocol.codec;

class NoneCodecTest extends AbstractCodecContractTest {
    @Override
    protected Codec newCodec() {
        return CodecType.NONE.create();
    }

    @Override
    protected CodecType expectedType() {
        return CodecType.NONE;
    }

    @Override
    protected boolean detectsDamagedContent() {
        return false;
    }
}
