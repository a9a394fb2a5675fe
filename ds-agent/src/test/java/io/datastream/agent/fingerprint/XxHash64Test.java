package io.datastream.agent.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XxHash64Test {
    @TempDir
    Path dir;

    private static long h(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return XxHash64.hash(b, 0, b.length, 0);
    }

    @Test
    void matchesTheReferenceVectors() {
        assertThat(h("")).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(h("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(h("abc")).isEqualTo(0x44BC2CF5AD770999L);
        assertThat(h("Nobody inspects the spammish repetition")).isEqualTo(0xFBCEA83C8A378BF1L);
    }

    @Test
    void fingerprintsCoverTheFirstBytesOnly() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        String head = "x".repeat(300);
        Files.writeString(a, head + "tail one\n");
        Files.writeString(b, head + "another tail\n");
        Fingerprinter f = new Fingerprinter(256);
        assertThat(f.readHead(a, Integer.MAX_VALUE)).isEqualTo(256);
        Fingerprint fa = f.of(256);
        f.readHead(b, Integer.MAX_VALUE);
        assertThat(f.of(256)).isEqualTo(fa);
        assertThat(f.streamId(256, 1)).as("a salted id differs").isNotEqualTo(fa.value());
        Files.writeString(dir.resolve("c"), "short\n");
        assertThat(f.readHead(dir.resolve("c"), Integer.MAX_VALUE)).isEqualTo(6);
        assertThat(f.of(6).length()).isEqualTo(6);
    }
}
