package io.datastream.deploy.launch;

import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** {@code --log-level}: the level of Datastream's own loggers (the rest stays at WARN). */
public final class LogLevels {
    private LogLevels() {
    }

    /** Sets {@code io.datastream} to {@code level} (error, warn, info, debug, trace). */
    public static void apply(String level) {
        Level l = Level.toLevel(level.toUpperCase(Locale.ROOT), null);
        if (l == null) {
            throw new StartupException("--log-level: '" + level + "' is not one of error, warn, info, debug, trace");
        }
        Configurator.setLevel("io.datastream", l);
    }
}
