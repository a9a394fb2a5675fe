package io.datastream.control.ops.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/** Opens connections to the metrics database with the same settings every time. */
final class Sqlite {
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private Sqlite() {
    }

    /** A connection in WAL mode; the writer's is read-write, readers' are read-only. */
    static Connection open(Path file, boolean readOnly) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            SQLiteConfig cfg = new SQLiteConfig();
            cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
            cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            cfg.setBusyTimeout(BUSY_TIMEOUT_MS);
            cfg.setReadOnly(readOnly);
            Connection c = cfg.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            return c;
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot open the metrics database " + file + " (store.path): " + e.getMessage(), e);
        }
    }
}
