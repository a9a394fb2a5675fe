package io.datastream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ports come from below the kernel's ephemeral range, never twice from one JVM. */
class PortsTest {
    private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    @Test
    void portsComeFromBelowTheEphemeralRangeAndAreNeverGivenTwice() throws IOException {
        assumeTrue(Files.isReadable(RANGE), "no " + RANGE + " (not Linux)");
        int low = Integer.parseInt(Files.readAllLines(RANGE).get(0).trim().split("\\s+")[0]);
        assertThat(Ports.ephemeralLow()).isEqualTo(low);
        assumeTrue(low - 10_000 >= 1_000, "the ephemeral range starts below 11000: ports come from it");
        Set<Integer> given = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = Ports.free();
            assertThat(port).isBetween(10_000, low - 1);
            assertThat(given.add(port)).as("port %d given twice", port).isTrue();
        }
    }
}
