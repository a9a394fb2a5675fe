package io.datastream.protocol;

/** Protocol versions this build speaks, and the negotiation rule of docs/protocol.md. */
public final class ProtocolVersion {
    /** The first version: frames and batch format v1. */
    public static final int V1 = 1;
    /** The oldest version this build still speaks. */
    public static final int MIN_SUPPORTED = V1;
    /** The newest version this build speaks. */
    public static final int MAX_SUPPORTED = V1;

    private ProtocolVersion() {
    }

    /**
     * The version both sides use: the highest version in both ranges, or -1 when the ranges do
     * not overlap.
     */
    public static int negotiate(int peerMin, int peerMax, int ownMin, int ownMax) {
        int high = Math.min(peerMax, ownMax);
        int low = Math.max(peerMin, ownMin);
        return high >= low ? high : -1;
    }
}
