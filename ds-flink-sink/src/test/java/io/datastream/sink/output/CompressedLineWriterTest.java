package io.datastream.sink.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.github.luben.zstd.ZstdInputStream;
import io.datastream.sink.config.Compression;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressedLineWriterTest {
    @TempDir
    Path dir;

    private static final String TEXT = "127.0.0.1 - - [05/Mar/2024:23:59:59 +0000] \"GET /index.html HTTP/1.1\" 200 512\n";

    private Path write(Compression c, int level, String name) throws IOException {
        Path file = dir.resolve(name);
        FileSystem fs = FileSystem.getLocalFileSystem();
        FSDataOutputStream out = fs.create(new org.apache.flink.core.fs.Path(file.toUri()), FileSystem.WriteMode.NO_OVERWRITE);
        BulkWriter<OutputChunk> w = new CompressedLineWriterFactory(c, level).create(out);
        byte[] data = TEXT.repeat(1000).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 50; i++) {
            w.addElement(new OutputChunk("t", 1, data, 1000));
            if (i == 25) {
                w.flush();
            }
        }
        w.finish();
        out.close();
        return file;
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void zstdFilesAreOneStandardFrameStream() throws IOException {
        Path f = write(Compression.ZSTD, 3, "part-0.zst");
        assertThat(read(new ZstdInputStream(Files.newInputStream(f)))).isEqualTo(TEXT.repeat(50_000));
        assertThat(Files.size(f)).as("highly repetitive lines compress well").isLessThan(TEXT.length() * 50_000L / 100);
    }

    @Test
    void gzipFilesAreStandardGzip() throws IOException {
        Path f = write(Compression.GZIP, 6, "part-0.gz");
        assertThat(read(new GZIPInputStream(Files.newInputStream(f)))).isEqualTo(TEXT.repeat(50_000));
    }

    @Test
    void theZstdCommandLineToolVerifiesAndReadsTheFiles() throws Exception {
        assumeThat(onPath("zstd")).as("zstd command installed").isTrue();
        Path f = write(Compression.ZSTD, 3, "part-1.zst");
        assertThat(run("zstd", "-t", "-q", f.toString())).isZero();
        Path out = dir.resolve("decoded.txt");
        assertThat(run("zstd", "-d", "-q", "-o", out.toString(), f.toString())).isZero();
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo(TEXT.repeat(50_000));
    }

    @Test
    void theGzipCommandLineToolVerifiesTheFiles() throws Exception {
        assumeThat(onPath("gzip")).as("gzip command installed").isTrue();
        Path f = write(Compression.GZIP, 1, "part-1.gz");
        assertThat(run("gzip", "-t", f.toString())).isZero();
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
