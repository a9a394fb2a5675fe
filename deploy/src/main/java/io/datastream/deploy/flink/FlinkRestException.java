package io.datastream.deploy.flink;

import java.io.IOException;

/** The JobManager answered with an error (or an answer without what was asked for). */
public final class FlinkRestException extends IOException {
    private static final long serialVersionUID = 1L;

    FlinkRestException(String message) {
        super(message);
    }
}
