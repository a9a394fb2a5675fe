package io.datastream.testkit.net;

import io.datastream.embedded.Ports;

/** Picks free TCP ports on the loopback interface, below the kernel's ephemeral range ({@link Ports}). */
public final class FreePorts {
    private FreePorts() {
    }

    /** A port that was free a moment ago (bind it soon). */
    public static int next() {
        return Ports.free();
    }
}
