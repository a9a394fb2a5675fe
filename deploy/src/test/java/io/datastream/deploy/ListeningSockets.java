package io.datastream.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM listens on, read from Linux's /proc: the socket inodes among
 * /proc/self/fd, matched against the LISTEN entries of /proc/net/tcp and tcp6.
 */
final class ListeningSockets {
    /** One listening socket: its local address in /proc's hex form and its port. */
    record Listener(String addressHex, int port) {
        /** 127.0.0.0/8, ::1 or ::ffff:127.x.x.x. */
        boolean loopback() {
            String a = addressHex;
            if (a.length() == 8) {
                return a.endsWith("7F");
            }
            return a.equals("00000000000000000000000001000000") || (a.startsWith("0000000000000000FFFF0000") && a.endsWith("7F"));
        }
    }

    private ListeningSockets() {
    }

    static boolean supported() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    static List<Listener> ofThisProcess() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        List<Listener> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    out.add(new Listener(local[0], Integer.parseInt(local[1], 16)));
                }
            }
        }
        return out;
    }
}
