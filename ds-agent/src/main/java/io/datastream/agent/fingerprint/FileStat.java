package io.datastream.agent.fingerprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What one stat of a path says: device and inode, size, modification time, and whether it is a
 * regular file.
 */
public record FileStat(FileKey key, long size, long modifiedMillis, boolean regular) {
    private static volatile boolean unixAttributes = true;

    /** Stats {@code path} (following symbolic links). */
    public static FileStat of(Path path) throws IOException {
        if (unixAttributes) {
            try {
                Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime,isRegularFile");
                return new FileStat(new FileKey(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue()),
                        ((Number) a.get("size")).longValue(), ((FileTime) a.get("lastModifiedTime")).toMillis(),
                        Boolean.TRUE.equals(a.get("isRegularFile")));
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                unixAttributes = false;
            }
        }
        BasicFileAttributes b = Files.readAttributes(path, BasicFileAttributes.class);
        return new FileStat(FileKey.UNKNOWN, b.size(), b.lastModifiedTime().toMillis(), b.isRegularFile());
    }
}
