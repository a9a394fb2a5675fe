package io.datastream.agent.fingerprint;

/**
 * Device and inode of a file: a hint that follows renames at once. Never the identity on its own
 * (inodes are reused); the content fingerprint decides.
 */
public record FileKey(long dev, long ino) {
    /** Used when the file system does not report unix attributes. */
    public static final FileKey UNKNOWN = new FileKey(-1, -1);

    public boolean known() {
        return ino >= 0;
    }

    @Override
    public String toString() {
        return dev + ":" + ino;
    }
}
