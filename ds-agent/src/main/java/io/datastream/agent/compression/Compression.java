package io.datastream.agent.compression;

/**
 * A compression format, told by the magic bytes a file starts with. A log file that starts with
 * one of them is a compressed file, never text (the magics are not printable text).
 */
public enum Compression {
    /** RFC 1952, deflate: 1f 8b 08. */
    GZIP("gzip", new byte[] {0x1f, (byte) 0x8b, 0x08}),
    /** zstd frame: 28 b5 2f fd. */
    ZSTD("zstd", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}),
    /** bzip2: "BZh" and a block size digit 1-9 (checked below). */
    BZIP2("bzip2", new byte[] {'B', 'Z', 'h'}),
    /** xz: fd 37 7a 58 5a 00. */
    XZ("xz", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0x00});

    /** The most leading bytes {@link #sniff} looks at. */
    public static final int SNIFF_BYTES = 6;

    private final String label;
    private final byte[] magic;

    Compression(String label, byte[] magic) {
        this.label = label;
        this.magic = magic;
    }

    /** The format's usual name (gzip, zstd, bzip2, xz). */
    public String label() {
        return label;
    }

    /** The format {@code head[0, length)} starts with, or null (text, or too few bytes to tell). */
    public static Compression sniff(byte[] head, int length) {
        for (Compression c : values()) {
            if (c.matches(head, length)) {
                return c;
            }
        }
        return null;
    }

    private boolean matches(byte[] head, int length) {
        int need = this == BZIP2 ? magic.length + 1 : magic.length;
        if (length < need) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return this != BZIP2 || (head[3] >= '1' && head[3] <= '9');
    }
}
