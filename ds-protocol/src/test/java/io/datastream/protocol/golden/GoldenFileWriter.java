package io.datastream.protocol.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Regenerates the golden files. Run it only when a NEW protocol version is introduced (into a
 * new {@code golden/vN/} folder) or when a golden file is added: version-1 files that exist must
 * never change, because deployed agents and routers write exactly those bytes.
 *
 * <pre>
 * cd ds-protocol
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) \
 *      io.datastream.protocol.golden.GoldenFileWriter src/test/resources/golden/v1
 * </pre>
 */
public final class GoldenFileWriter {
    private GoldenFileWriter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: GoldenFileWriter <output directory>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : GoldenFiles.all().entrySet()) {
            Path file = dir.resolve(e.getKey());
            Files.write(file, e.getValue());
            System.out.println("wrote " + file + " (" + e.getValue().length + " bytes)");
        }
    }
}
