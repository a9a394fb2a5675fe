package io.datastream.protocol.frame;

/** Frame types with their fixed wire ids. Ids never change; new types get new ids. */
public enum FrameType {
    HELLO(0x01, true),
    WELCOME(0x02, true),
    CREDIT(0x03, true),
    BATCH(0x04, false),
    ACK(0x05, true),
    HEARTBEAT(0x06, true),
    GOAWAY(0x07, true),
    ERROR(0x08, true);

    private static final FrameType[] BY_ID = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final boolean control;

    FrameType(int id, boolean control) {
        this.id = id;
        this.control = control;
    }

    public int id() {
        return id;
    }

    /** Control frames are small and written ahead of data frames (docs/protocol.md). */
    public boolean isControl() {
        return control;
    }

    /** The type for a wire id, or null when this version does not know it. */
    public static FrameType fromId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
