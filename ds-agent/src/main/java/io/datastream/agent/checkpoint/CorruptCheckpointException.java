package io.datastream.agent.checkpoint;

import java.io.IOException;

/** The checkpoint file is not a checkpoint file this build can read (magic, version, CRC, lengths). */
public final class CorruptCheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptCheckpointException(String message) {
        super(message);
    }
}
