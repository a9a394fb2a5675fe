/**
 * Frames of the ds TCP protocol and their Netty codec (docs/protocol.md, "Frames").
 *
 * <p>Every frame is {@code length (u32) | type (u8) | flags (u8) | body}. {@link
 * io.datastream.protocol.frame.FrameDecoder} checks the length against the limit before it
 * buffers anything and turns bad bytes into {@link io.datastream.protocol.CorruptFrameException};
 * {@link io.datastream.protocol.frame.FrameEncoder} writes frames, passing batch bytes through
 * without a copy. {@link io.datastream.protocol.frame.FrameCodec} holds the body layouts.
 */
package io.datastream.protocol.frame;
